import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import { DIFFERENCE_PAGE_LIMIT } from '../../protocol/methods.js';
import { database } from '../../d1/db.js';
import { findAccountsByIds } from '../../d1/queries/accounts.js';
import type { Handlers } from './dispatch.js';
import { usersSeenBy } from './seen-users.js';

export const syncHandlers: Handlers<'getState' | 'getDifference' | 'getChannelDifference' | 'getDialogs'> = {
  getState: (ctx) => ctx.own.getState(),
  getDifference: (ctx, p) => ctx.own.getDifference(p.pts, p.limit),
  // A large chat's own log, read in the chat (which checks the membership): see chat-room/large.ts.
  getChannelDifference: async (ctx, p) =>
    unwrap(await chatRoom(ctx.env, p.chat_id).getChannelDifference(ctx.caller.userId, p.pts, p.limit ?? DIFFERENCE_PAGE_LIMIT)),
  async getDialogs(ctx, p) {
    const dialogs = await ctx.own.getDialogs({
      offsetDate: p.offset_date,
      offsetChatId: p.offset_chat_id,
      limit: p.limit,
    });
    // The users a chat list shows: members of private chats and last senders.
    const ids = new Set<number>();
    for (const d of dialogs) {
      if (d.chat.kind === 'private') d.chat.member_ids.forEach((id) => ids.add(id));
      if (d.top_message?.sender_id) ids.add(d.top_message.sender_id);
    }
    const db = database(ctx.env.DB);
    const users = await usersSeenBy(db, ctx.caller.userId, await findAccountsByIds(db, [...ids]));
    return { dialogs, users };
  },
};
