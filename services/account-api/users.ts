import { database } from '../../d1/db.js';
import { findAccountByUsername, findAccountsByIds } from '../../d1/queries/accounts.js';
import { visiblePeersAmong } from '../../d1/queries/chats.js';
import { hit, type LimitRule } from '../../d1/queries/rate-limits.js';
import type { UserStatus } from '../../protocol/common.js';
import { fail } from '../../protocol/errors.js';
import { findChatByUsername } from '../../d1/queries/chat-usernames.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { peopleSeenBy, usersSeenBy } from './seen-users.js';

/**
 * Looking people (and public chats, which share their namespace) up. Strangers (people one shares no chat with where members
 * see each other, d1/queries/chats.ts) looked up by id or username count
 * against an hourly budget per account, so sequential ids and guessed names
 * cannot be walked, nor many strangers' presence watched. Presence itself
 * stays visible to whoever looks a person up, Telegram's default ("last
 * seen: everybody") unless the person's privacy (or a block) narrows it:
 * presence and bios are served through their rules here (privacy.ts).
 */
export const STRANGER_LOOKUPS: LimitRule = { limit: 300, windowMs: 60 * 60_000 };

export const userHandlers: Handlers<'getUsers' | 'resolveUsername'> = {
  async getUsers(ctx, p) {
    const db = database(ctx.env.DB);
    const others = [...new Set(p.ids)].filter((id) => id !== ctx.caller.userId);
    const peers = await visiblePeersAmong(db, ctx.caller.userId, others);
    await countStrangers(ctx, others.filter((id) => !peers.has(id)).length);
    const rows = await findAccountsByIds(db, p.ids);
    // Each person's privacy (and a block, which hides everything) decides what the caller gets.
    const { users, showsPresence } = await peopleSeenBy(db, ctx.caller.userId, rows);
    return {
      users,
      statuses: rows.map((r): UserStatus =>
        showsPresence.has(r.id) ? { user_id: r.id, online: r.online, last_seen: r.lastSeenAt ?? null } : { user_id: r.id, online: false, last_seen: null },
      ),
    };
  },
  async resolveUsername(ctx, p) {
    const db = database(ctx.env.DB);
    const row = await findAccountByUsername(db, p.username);
    // Counted before the answer, found or not, so a miss costs a guesser as much as a hit.
    const known = row && (row.id === ctx.caller.userId || (await visiblePeersAmong(db, ctx.caller.userId, [row.id])).has(row.id));
    if (!known) await countStrangers(ctx, 1);
    if (row) return { user: (await usersSeenBy(db, ctx.caller.userId, [row]))[0]! };
    // People and public chats share the namespace: the name may be a chat's.
    const chatId = await findChatByUsername(db, p.username);
    if (chatId === undefined) throw fail.notFound('Username');
    return { chat: unwrap(await chatRoom(ctx.env, chatId).publicPreview(ctx.caller.userId, p.username)) };
  },
};

export async function countStrangers(ctx: CallContext, count: number): Promise<void> {
  if (count === 0) return;
  const budget = await hit(database(ctx.env.DB), `users:lookup:${ctx.caller.userId}`, STRANGER_LOOKUPS, ctx.now(), count);
  if (budget.count > STRANGER_LOOKUPS.limit) throw fail.rateLimited(budget.retryAfterSec);
}
