import { database } from '../../d1/db.js';
import { findAccountById, findAccountsByIds } from '../../d1/queries/accounts.js';
import { createTitledChat } from '../../d1/queries/chats.js';
import { fail } from '../../protocol/errors.js';
import { botMembersOf } from '../bots/members.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import { countChatWork } from './chat-limits.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';

export const chatHandlers: Handlers<
  | 'createGroup'
  | 'createChannel'
  | 'getMessagesViews'
  | 'getChat'
  | 'addChatMember'
  | 'removeChatMember'
  | 'leaveChat'
  | 'editChatTitle'
  | 'setChatAdmin'
  | 'restrictChatMember'
  | 'pinMessage'
  | 'unpinMessage'
> = {
  async createGroup(ctx, p) {
    return { chat: await createTitled(ctx, 'group', p.title, p.user_ids) };
  },
  async createChannel(ctx, p) {
    return { chat: await createTitled(ctx, 'channel', p.title, p.user_ids) };
  },
  async getMessagesViews(ctx, p) {
    return { views: unwrap(await chatRoom(ctx.env, p.chat_id).getViews(ctx.caller.userId, p.ids, p.increment)) };
  },
  async getChat(ctx, p) {
    return unwrap(await chatRoom(ctx.env, p.chat_id).getChat(ctx.caller.userId));
  },
  async addChatMember(ctx, p) {
    const [bot] = await botMembersOf(ctx.env, [await requireUser(ctx, p.user_id)]);
    await countChatWork(database(ctx.env.DB), ctx.caller.userId, { chats: 0, people: 1 }, ctx.now());
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).addMember(ctx.caller.userId, p.user_id, bot)) };
  },
  async removeChatMember(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).removeMember(ctx.caller.userId, p.user_id)) };
  },
  async leaveChat(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).leave(ctx.caller.userId));
    return { ok: true as const };
  },
  async editChatTitle(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).editTitle(ctx.caller.userId, p.title)) };
  },
  async setChatAdmin(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).setAdmin(ctx.caller.userId, p.user_id, p.is_admin)) };
  },
  async restrictChatMember(ctx, p) {
    const permissions = { can_send_messages: p.can_send_messages, can_send_media: p.can_send_media };
    const member = unwrap(await chatRoom(ctx.env, p.chat_id).restrict(ctx.caller.userId, p.user_id, permissions, p.until ?? null));
    return { member };
  },
  async pinMessage(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).pin(ctx.caller.userId, p.message_id)) };
  },
  async unpinMessage(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).unpin(ctx.caller.userId, undefined)) };
  },
};

/** A group or channel with its creator and the users they invite; every invited id must be an account. */
async function createTitled(ctx: CallContext, kind: 'group' | 'channel', title: string, userIds: number[]) {
  const db = database(ctx.env.DB);
  const invited = [...new Set(userIds)].filter((id) => id !== ctx.caller.userId);
  const found = await findAccountsByIds(db, invited);
  if (found.length !== invited.length) throw fail.notFound('User');
  const bots = await botMembersOf(ctx.env, found);
  // Bots post in channels as admins in Telegram; Edgegram's Bot API has no channel_post yet.
  if (kind === 'channel' && bots.length > 0) throw fail.badRequest('Bots cannot join channels yet');
  const now = ctx.now();
  await countChatWork(db, ctx.caller.userId, { chats: 1, people: invited.length }, now);
  const chatId = await createTitledChat(db, kind, title, ctx.caller.userId, now);
  return unwrap(
    await chatRoom(ctx.env, chatId).init({
      chatId,
      kind,
      title,
      creatorId: ctx.caller.userId,
      memberIds: [ctx.caller.userId, ...invited],
      createdAt: now,
      bots,
    }),
  );
}

async function requireUser(ctx: CallContext, userId: number) {
  const account = await findAccountById(database(ctx.env.DB), userId);
  if (!account) throw fail.notFound('User');
  return account;
}
