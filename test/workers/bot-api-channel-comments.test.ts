/**
 * Channel comments as bots see them (Telegram's discussion groups): both
 * chats name each other in getChat's linked_chat_id, a post's automatic
 * forward reaches the group's bots with is_automatic_forward and the
 * channel as its origin and sender, and a bot comments by replying to it.
 */
import { describe, expect, test } from 'vitest';
import type { BotApiChatFullInfo, BotApiMessage } from '../../protocol/bot-api/types.js';
import { botFails, botOk, call, delivered, newBot, takeMessages } from './bot-api-helpers.js';

/** Telegram's id of a supergroup or channel. */
const large = (chatId: number) => -(1_000_000_000_000 + chatId);

async function waitFor<T>(read: () => Promise<T[]>, ok: (items: T[]) => boolean): Promise<T[]> {
  const seen: T[] = [];
  for (let i = 0; i < 200; i++) {
    seen.push(...(await read()));
    if (ok(seen)) return seen;
    await new Promise((r) => setTimeout(r, 10));
  }
  return seen;
}

describe('channel comments in the Bot API', () => {
  test('linked_chat_id both ways; the automatic forward; a bot comments with reply_parameters and the post counts it', async () => {
    const b = await newBot(undefined, { privacy: false });
    const owner = b.owner;
    const { chat: channel } = await call(owner, 'createChannel', { title: 'News', user_ids: [b.id] });
    const { chat: group } = await call(owner, 'createSupergroup', { title: 'News chat', user_ids: [b.id] });
    await call(owner, 'setDiscussionGroup', { channel_id: channel.id, group_id: group.id });
    await Promise.all([delivered(channel.id), delivered(group.id)]);
    await takeMessages(b.token);

    expect(await botOk<BotApiChatFullInfo>(b.token, 'getChat', { chat_id: large(channel.id) })).toMatchObject({
      type: 'channel',
      linked_chat_id: large(group.id),
    });
    expect(await botOk<BotApiChatFullInfo>(b.token, 'getChat', { chat_id: large(group.id) })).toMatchObject({
      type: 'supergroup',
      linked_chat_id: large(channel.id),
    });

    const { message: post } = await call(owner, 'sendMessage', { peer: { chat_id: channel.id }, random_id: 'bp1', text: 'Issue 1' });
    const seen = await waitFor(
      () => takeMessages(b.token),
      (list: BotApiMessage[]) => list.some((m) => m.is_automatic_forward),
    );
    const forward = seen.find((m) => m.is_automatic_forward)!;
    expect(forward).toMatchObject({
      chat: { id: large(group.id), type: 'supergroup' },
      from: { id: 777000, is_bot: false, first_name: 'Telegram' },
      sender_chat: { id: large(channel.id), type: 'channel', title: 'News' },
      is_automatic_forward: true,
      forward_origin: { type: 'channel', chat: { id: large(channel.id), type: 'channel' }, message_id: post.id },
      text: 'Issue 1',
    });

    const reply = await botOk<BotApiMessage>(b.token, 'sendMessage', {
      chat_id: large(group.id),
      text: 'First comment, by a bot',
      reply_parameters: { message_id: forward.message_id },
    });
    expect(reply.reply_to_message?.message_id).toBe(forward.message_id);
    await botOk(b.token, 'sendMessage', { chat_id: large(group.id), text: 'and another', reply_to_message_id: forward.message_id });
    // Replying to a message the group does not have is refused the way Telegram refuses it.
    expect((await botFails(b.token, 'sendMessage', { chat_id: large(group.id), text: 'x', reply_parameters: { message_id: 9999 } })).error_code).toBe(400);

    let comments: { count: number } | undefined;
    for (let i = 0; i < 200 && comments?.count !== 2; i++) {
      const { views } = await call(owner, 'getMessagesViews', { chat_id: channel.id, ids: [post.id], increment: false });
      comments = views[0]?.comments;
      if (comments?.count !== 2) await new Promise((r) => setTimeout(r, 10));
    }
    expect(comments).toMatchObject({ count: 2 });
  });
});
