import { describe, expect, test } from 'vitest';
import type { BotApiChatMember, BotApiUpdate } from '../../protocol/bot-api/types.js';
import { signup } from './helpers.js';
import { botFails, botOk, call, callError, delivered, newBot, updates } from './bot-api-helpers.js';

/** A group of an owner, a member and a bot, the bot an admin unless told otherwise. */
async function group(options: { admin?: boolean } = {}) {
  const b = await newBot();
  const member = await signup();
  const { chat } = await call(b.owner, 'createGroup', { title: 'Quiet', user_ids: [member.user.id, b.id] });
  if (options.admin !== false) await call(b.owner, 'setChatAdmin', { chat_id: chat.id, user_id: b.id, is_admin: true });
  await delivered(chat.id);
  return { b, owner: b.owner, member, chatId: chat.id };
}

let seq = 0;
const say = (who: Awaited<ReturnType<typeof signup>>, chatId: number) =>
  callError(who, 'sendMessage', { peer: { chat_id: chatId }, random_id: `r${++seq}`, text: 'may I?' });

describe('restrictChatMember', () => {
  test('an admin bot mutes a member: sends are refused, getChatMember says restricted; all permissions lift it', async () => {
    const { b, member, chatId } = await group();
    const mute = { chat_id: -chatId, user_id: member.user.id, permissions: { can_send_messages: false } };
    expect(await botOk(b.token, 'restrictChatMember', mute)).toBe(true);
    expect(await say(member, chatId)).toBe('FORBIDDEN');
    const restricted = await botOk<BotApiChatMember>(b.token, 'getChatMember', { chat_id: -chatId, user_id: member.user.id });
    expect(restricted).toMatchObject({
      status: 'restricted',
      user: { id: member.user.id },
      is_member: true,
      can_send_messages: false,
      can_send_photos: false,
      until_date: 0,
    });

    // Everything the group allows its members (sending, links) lifts it: Telegram's rule.
    const all = {
      ...Object.fromEntries(
        ['messages', 'audios', 'documents', 'photos', 'videos', 'video_notes', 'voice_notes', 'polls', 'other_messages'].map((k) => [`can_send_${k}`, true]),
      ),
      can_add_web_page_previews: true,
    };
    expect(await botOk(b.token, 'restrictChatMember', { ...mute, permissions: all }, 'form')).toBe(true);
    expect(await botOk(b.token, 'getChatMember', { chat_id: -chatId, user_id: member.user.id })).toMatchObject({ status: 'member' });
    await call(member, 'sendMessage', { peer: { chat_id: chatId }, random_id: `r${++seq}`, text: 'thanks' });
  });

  test('media permissions: text-only keeps text; any media permission implies sending unless independent', async () => {
    const { b, member, chatId } = await group();
    const at = { chat_id: -chatId, user_id: member.user.id };
    await botOk(b.token, 'restrictChatMember', { ...at, permissions: { can_send_messages: true } });
    let shown = await botOk<BotApiChatMember>(b.token, 'getChatMember', at);
    expect(shown).toMatchObject({ status: 'restricted', can_send_messages: true, can_send_photos: false, can_send_documents: false });
    await call(member, 'sendMessage', { peer: { chat_id: chatId }, random_id: `r${++seq}`, text: 'text is fine' });

    await botOk(b.token, 'restrictChatMember', { ...at, permissions: { can_send_photos: true } });
    shown = await botOk<BotApiChatMember>(b.token, 'getChatMember', at);
    expect(shown).toMatchObject({ status: 'restricted', can_send_messages: true, can_send_photos: false });

    await botOk(b.token, 'restrictChatMember', { ...at, permissions: { can_send_photos: true }, use_independent_chat_permissions: true });
    shown = await botOk<BotApiChatMember>(b.token, 'getChatMember', at);
    expect(shown).toMatchObject({ status: 'restricted', can_send_messages: false });
  });

  test('until_date is kept (seconds); one under 30 s away means for good, as for bans', async () => {
    const { b, member, chatId } = await group();
    const at = { chat_id: -chatId, user_id: member.user.id };
    const inAnHour = Math.floor(Date.now() / 1000) + 3600;
    await botOk(b.token, 'restrictChatMember', { ...at, permissions: {}, until_date: inAnHour });
    expect(await botOk(b.token, 'getChatMember', at)).toMatchObject({ status: 'restricted', until_date: inAnHour });
    await botOk(b.token, 'restrictChatMember', { ...at, permissions: {}, until_date: Math.floor(Date.now() / 1000) + 5 });
    expect(await botOk(b.token, 'getChatMember', at)).toMatchObject({ status: 'restricted', until_date: 0 });
  });

  test("Telegram's refusals: no admin rights, the owner, private chats; a restricted bot cannot send", async () => {
    const { b, owner, member, chatId } = await group({ admin: false });
    const none = { permissions: { can_send_messages: false } };
    expect(await botFails(b.token, 'restrictChatMember', { chat_id: -chatId, user_id: member.user.id, ...none })).toMatchObject({
      description: 'Bad Request: not enough rights to restrict/ban chat member',
    });
    await call(owner, 'setChatAdmin', { chat_id: chatId, user_id: b.id, is_admin: true });
    expect(await botFails(b.token, 'restrictChatMember', { chat_id: -chatId, user_id: owner.user.id, ...none })).toMatchObject({
      description: "Bad Request: can't remove chat owner",
    });
    await call(member, 'sendMessage', { peer: { user_id: b.id }, random_id: `r${++seq}`, text: 'hi' });
    expect(await botFails(b.token, 'restrictChatMember', { chat_id: member.user.id, user_id: member.user.id, ...none })).toMatchObject({
      description: "Bad Request: chat member status can't be changed in private chats",
    });

    // The owner demotes and mutes the bot through the account API.
    await call(owner, 'setChatAdmin', { chat_id: chatId, user_id: b.id, is_admin: false });
    await call(owner, 'restrictChatMember', { chat_id: chatId, user_id: b.id, can_send_messages: false, can_send_media: false });
    expect(await botFails(b.token, 'sendMessage', { chat_id: -chatId, text: 'hello?' })).toMatchObject({
      description: 'Bad Request: not enough rights to send text messages to the chat',
    });
  });

  test('an admin bot listening for chat_member sees the restriction', async () => {
    const { b, owner, member, chatId } = await group();
    await updates(b.token, { allowed_updates: ['chat_member'] });
    await call(owner, 'restrictChatMember', { chat_id: chatId, user_id: member.user.id, can_send_messages: true, can_send_media: false });
    await delivered(chatId);
    const [change] = (await updates(b.token)).filter((u): u is BotApiUpdate & Required<Pick<BotApiUpdate, 'chat_member'>> => !!u.chat_member);
    expect(change!.chat_member).toMatchObject({
      from: { id: owner.user.id },
      old_chat_member: { status: 'member', user: { id: member.user.id } },
      new_chat_member: { status: 'restricted', can_send_messages: true, can_send_videos: false },
    });
  });
});
