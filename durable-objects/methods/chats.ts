import { database } from '../../d1/db.js';
import { findAccountById, findAccountsByIds } from '../../d1/queries/accounts.js';
import { createGroupChat } from '../../d1/queries/chats.js';
import { fail } from '../../protocol/errors.js';
import { botMembersOf } from '../bots/members.js';
import { unwrap } from '../outcome.js';
import { chatRoom } from '../stubs.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';

export const chatHandlers: Handlers<
  | 'createGroup'
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
    const db = database(ctx.env.DB);
    const invited = [...new Set(p.user_ids)].filter((id) => id !== ctx.caller.userId);
    const found = await findAccountsByIds(db, invited);
    if (found.length !== invited.length) throw fail.notFound('User');
    const now = ctx.now();
    const chatId = await createGroupChat(db, p.title, ctx.caller.userId, now);
    const chat = unwrap(
      await chatRoom(ctx.env, chatId).init({
        chatId,
        kind: 'group',
        title: p.title,
        creatorId: ctx.caller.userId,
        memberIds: [ctx.caller.userId, ...invited],
        createdAt: now,
        bots: await botMembersOf(ctx.env, found),
      }),
    );
    return { chat };
  },
  async getChat(ctx, p) {
    return unwrap(await chatRoom(ctx.env, p.chat_id).getChat(ctx.caller.userId));
  },
  async addChatMember(ctx, p) {
    const [bot] = await botMembersOf(ctx.env, [await requireUser(ctx, p.user_id)]);
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

async function requireUser(ctx: CallContext, userId: number) {
  const account = await findAccountById(database(ctx.env.DB), userId);
  if (!account) throw fail.notFound('User');
  return account;
}
