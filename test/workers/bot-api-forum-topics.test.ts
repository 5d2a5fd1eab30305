/**
 * Forum topics in the Bot API, as Telegram shows them: an admin bot creates,
 * edits, closes, reopens and deletes topics and manages General; sends take
 * message_thread_id; messages in a topic carry message_thread_id and
 * is_topic_message; topic changes arrive as forum_topic_* service messages;
 * getChat says is_forum; refusals are Telegram's descriptions.
 */
import { describe, expect, test } from 'vitest';
import type { BotApiChat, BotApiForumTopic, BotApiMessage } from '../../protocol/bot-api/types.js';
import { signup } from './helpers.js';
import { botFails, botOk, call, delivered, newBot, takeMessages } from './bot-api-helpers.js';

/** Telegram's id of a supergroup. */
const large = (chatId: number) => -(1_000_000_000_000 + chatId);

/** A forum of an owner and a member with an admin bot and a plain member bot (privacy off: it sees every message). */
async function forumWithBots() {
  const admin = await newBot();
  const plain = await newBot(admin.owner, { privacy: false });
  const owner = admin.owner;
  const member = await signup();
  const { chat } = await call(owner, 'createSupergroup', { title: 'Forum', user_ids: [member.user.id, admin.id, plain.id] });
  await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.id, is_admin: true });
  await call(owner, 'toggleForum', { chat_id: chat.id, enabled: true });
  await delivered(chat.id);
  await takeMessages(admin.token);
  await takeMessages(plain.token);
  return { owner, member, admin, plain, chatId: chat.id, id: large(chat.id) };
}

describe('forum topics in the Bot API', () => {
  test('an admin bot creates a topic and posts in it; the messages name the topic; getChat says is_forum', async () => {
    const { admin, plain, member, chatId, id } = await forumWithBots();
    expect(await botOk<BotApiChat>(admin.token, 'getChat', { chat_id: id })).toMatchObject({ id, type: 'supergroup', is_forum: true });

    const topic = await botOk<BotApiForumTopic>(admin.token, 'createForumTopic', { chat_id: id, name: 'Builds', icon_color: 0xff93b2 });
    expect(topic).toEqual({ message_thread_id: 2, name: 'Builds', icon_color: 0xff93b2 });
    const sent = await botOk<BotApiMessage>(admin.token, 'sendMessage', { chat_id: id, text: 'build #1 passed', message_thread_id: topic.message_thread_id });
    expect(sent).toMatchObject({ message_thread_id: 2, is_topic_message: true, chat: { id, is_forum: true } });
    // General's messages carry no thread, as in Telegram.
    const general = await botOk<BotApiMessage>(admin.token, 'sendMessage', { chat_id: id, text: 'hello all' });
    expect(general.message_thread_id).toBeUndefined();
    expect(general.is_topic_message).toBeUndefined();
    expect((await call(member, 'getHistory', { chat_id: chatId, message_thread_id: 2 })).messages.map((m) => m.text)).toEqual(['build #1 passed']);
    // Bots never see each other's messages (Telegram's rule): a person's message in the topic reaches the other bot.
    await call(member, 'sendMessage', { peer: { chat_id: chatId }, random_id: 'person-in-topic', text: 'nice', message_thread_id: 2 });

    await delivered(chatId);
    const seen = await takeMessages(plain.token);
    expect(seen.find((m) => m.forum_topic_created)).toMatchObject({
      message_thread_id: 2,
      is_topic_message: true,
      forum_topic_created: { name: 'Builds', icon_color: 0xff93b2 },
    });
    expect(seen.find((m) => m.text === 'nice')).toMatchObject({ message_thread_id: 2, is_topic_message: true });
  });

  test('edit, close, reopen and delete topics and manage General, with service messages', async () => {
    const { admin, plain, member, chatId, id } = await forumWithBots();
    const { message_thread_id: topic } = await botOk<BotApiForumTopic>(admin.token, 'createForumTopic', { chat_id: id, name: 'Ideas' });
    expect(await botOk(admin.token, 'editForumTopic', { chat_id: id, message_thread_id: topic, name: 'Better ideas' })).toBe(true);
    expect(await botOk(admin.token, 'closeForumTopic', { chat_id: id, message_thread_id: topic })).toBe(true);
    expect(await botFails(plain.token, 'sendMessage', { chat_id: id, text: 'late', message_thread_id: topic })).toMatchObject({
      error_code: 400,
      description: 'Bad Request: TOPIC_CLOSED',
    });
    expect(await botOk(admin.token, 'reopenForumTopic', { chat_id: id, message_thread_id: topic })).toBe(true);
    await botOk(plain.token, 'sendMessage', { chat_id: id, text: 'in time', message_thread_id: topic });
    expect(await botOk(admin.token, 'editGeneralForumTopic', { chat_id: id, name: 'Lobby' })).toBe(true);
    expect(await botOk(admin.token, 'hideGeneralForumTopic', { chat_id: id })).toBe(true);
    expect(await botOk(admin.token, 'unhideGeneralForumTopic', { chat_id: id })).toBe(true);
    expect(await botOk(admin.token, 'closeGeneralForumTopic', { chat_id: id })).toBe(true);
    expect(await botOk(admin.token, 'reopenGeneralForumTopic', { chat_id: id })).toBe(true);
    expect(await botOk(admin.token, 'getForumTopicIconStickers')).toEqual([]);

    const { topics } = await call(member, 'getForumTopics', { chat_id: chatId });
    expect(topics.map((t) => [t.id, t.name, t.is_closed, t.is_hidden])).toEqual([
      [topic, 'Better ideas', false, false],
      [1, 'Lobby', false, false],
    ]);

    await delivered(chatId);
    const service = (await takeMessages(plain.token)).filter((m) => m.text === undefined);
    expect(service.map((m) => Object.keys(m).filter((k) => k.startsWith('forum_topic') || k.startsWith('general_forum')))).toEqual([
      ['forum_topic_created'],
      ['forum_topic_edited'],
      ['forum_topic_closed'],
      ['forum_topic_reopened'],
      ['forum_topic_edited'],
      ['general_forum_topic_hidden'],
      ['general_forum_topic_unhidden'],
      ['forum_topic_closed'],
      ['forum_topic_reopened'],
    ]);
    expect(service[1]).toMatchObject({ message_thread_id: topic, forum_topic_edited: { name: 'Better ideas' } });

    const pinned = await botOk<BotApiMessage>(admin.token, 'sendMessage', { chat_id: id, text: 'pin me', message_thread_id: topic });
    await botOk(admin.token, 'pinChatMessage', { chat_id: id, message_id: pinned.message_id });
    expect(await botOk(admin.token, 'unpinAllForumTopicMessages', { chat_id: id, message_thread_id: topic })).toBe(true);
    expect((await call(member, 'getChat', { chat_id: chatId })).chat.pinned_message_ids ?? []).toEqual([]);
    expect(await botOk(admin.token, 'deleteForumTopic', { chat_id: id, message_thread_id: topic })).toBe(true);
    expect((await call(member, 'getForumTopics', { chat_id: chatId })).topics.map((t) => t.id)).toEqual([1]);
  });

  test("refusals are Telegram's: no rights, unknown topic, a chat that is not a forum", async () => {
    const { owner, plain, admin, id } = await forumWithBots();
    expect(await botFails(plain.token, 'createForumTopic', { chat_id: id, name: 'Mine' })).toMatchObject({
      error_code: 400,
      description: 'Bad Request: not enough rights to create a topic',
    });
    const { message_thread_id: topic } = await botOk<BotApiForumTopic>(admin.token, 'createForumTopic', { chat_id: id, name: 'Admins' });
    expect((await botFails(plain.token, 'closeForumTopic', { chat_id: id, message_thread_id: topic })).description).toBe('Bad Request: not enough rights to close the topic');
    expect((await botFails(plain.token, 'deleteForumTopic', { chat_id: id, message_thread_id: topic })).description).toBe('Bad Request: not enough rights to delete the topic');
    expect((await botFails(plain.token, 'sendMessage', { chat_id: id, text: 'x', message_thread_id: 999 })).description).toBe('Bad Request: message thread not found');
    expect((await botFails(admin.token, 'editForumTopic', { chat_id: id, message_thread_id: 999, name: 'x' })).description).toBe('Bad Request: message thread not found');

    const { chat: plainGroup } = await call(owner, 'createSupergroup', { title: 'No topics', user_ids: [admin.id] });
    expect((await botFails(admin.token, 'createForumTopic', { chat_id: large(plainGroup.id), name: 'x' })).description).toBe('Bad Request: the chat is not a forum');
    // Elsewhere message_thread_id is accepted as Telegram's reply-thread id and the message sent to the chat.
    const sent = await botOk<BotApiMessage>(admin.token, 'sendMessage', { chat_id: large(plainGroup.id), text: 'ok', message_thread_id: 5 });
    expect(sent.message_thread_id).toBeUndefined();
  });
});
