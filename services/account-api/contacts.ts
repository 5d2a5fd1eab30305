import { database, type Db } from '../../d1/db.js';
import { findAccountById, findAccountByUsername, findAccountsByIds } from '../../d1/queries/accounts.js';
import { findPrivateChat } from '../../d1/queries/chats.js';
import { deleteBlock, deleteContacts, findContact, listBlocks, listContacts, putBlock, putContact } from '../../d1/queries/contacts.js';
import { hit, type LimitRule } from '../../d1/queries/rate-limits.js';
import { MAX_CONTACTS, type Contact } from '../../protocol/contacts.js';
import type { User } from '../../protocol/common.js';
import { fail } from '../../protocol/errors.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { usersSeenBy } from './seen-users.js';

/**
 * Contacts and blocking (protocol/contacts.ts). D1 holds both; a block is
 * also copied where it is enforced on a hot path: into the private chat of
 * the two (its sends, chat-room/blocks.ts) and into the blocker's mailbox
 * (its presence notices). Adds to groups and first messages read D1.
 */

/** Blocks and unblocks an account may make in an hour: enough for anyone tidying up, not for churning a list. */
export const BLOCK_CHANGES: LimitRule = { limit: 100, windowMs: 60 * 60_000 };

export const contactHandlers: Handlers<
  'addContact' | 'deleteContacts' | 'getContacts' | 'blockUser' | 'unblockUser' | 'getBlockedUsers' | 'acceptMessageRequest'
> = {
  async addContact(ctx, p) {
    const db = database(ctx.env.DB);
    const person = p.user_id !== undefined ? await findAccountById(db, p.user_id) : await findAccountByUsername(db, p.username!);
    if (!person) throw fail.notFound('User');
    if (person.id === ctx.caller.userId) throw fail.badRequest('You cannot add yourself to your contacts');
    if (person.isBot) throw fail.badRequest('Bots are not contacts');
    const row = { ownerId: ctx.caller.userId, contactId: person.id, firstName: p.first_name, lastName: p.last_name || null, addedAt: ctx.now() };
    if (!(await putContact(db, row, MAX_CONTACTS))) throw fail.forbidden(`At most ${MAX_CONTACTS} contacts; remove some first`);
    const stored = (await findContact(db, ctx.caller.userId, person.id))!;
    const [user] = await usersSeenBy(db, ctx.caller.userId, [person]);
    return { contact: toContact(stored, user!) };
  },
  async deleteContacts(ctx, p) {
    await deleteContacts(database(ctx.env.DB), ctx.caller.userId, p.user_ids);
    return { ok: true as const };
  },
  async getContacts(ctx) {
    const db = database(ctx.env.DB);
    const rows = await listContacts(db, ctx.caller.userId);
    const people = await seenByIds(db, ctx.caller.userId, rows.map((r) => r.contactId));
    // A deleted account leaves its row behind until cleaned up: not listed.
    return { contacts: rows.flatMap((r) => (people.has(r.contactId) ? [toContact(r, people.get(r.contactId)!)] : [])) };
  },
  async blockUser(ctx, p) {
    await changeBlock(ctx, p.user_id, true);
    return { ok: true as const };
  },
  async unblockUser(ctx, p) {
    await changeBlock(ctx, p.user_id, false);
    return { ok: true as const };
  },
  async acceptMessageRequest(ctx, p) {
    // The caller's own mailbox holds its requests: another account's chat id is simply no request of its.
    await ctx.own.acceptMessageRequest(p.chat_id);
    return { ok: true as const };
  },
  async getBlockedUsers(ctx, p) {
    const db = database(ctx.env.DB);
    const { rows, count } = await listBlocks(db, ctx.caller.userId, p.offset, p.limit);
    const people = await seenByIds(db, ctx.caller.userId, rows.map((r) => r.blockedId));
    const blocked = rows.flatMap((r) => (people.has(r.blockedId) ? [{ user: people.get(r.blockedId)!, blocked_at: r.blockedAt }] : []));
    return { blocked, count };
  },
};

/**
 * D1 first (the authority), then the copies: the private chat of the two,
 * if they have one, and the caller's mailbox. A copy that fails is retried
 * by calling again (each step is idempotent).
 */
async function changeBlock(ctx: CallContext, userId: number, blocked: boolean): Promise<void> {
  const db = database(ctx.env.DB);
  const me = ctx.caller.userId;
  if (userId === me) throw fail.badRequest('You cannot block yourself');
  if (!(await findAccountById(db, userId))) throw fail.notFound('User');
  const limit = await hit(db, `blocks:acct:${me}`, BLOCK_CHANGES, ctx.now());
  if (limit.count > BLOCK_CHANGES.limit) throw fail.rateLimited(limit.retryAfterSec);
  if (blocked) await putBlock(db, me, userId, ctx.now());
  else await deleteBlock(db, me, userId);
  const chat = await findPrivateChat(db, me, userId);
  if (chat) unwrap(await chatRoom(ctx.env, chat.id).setBlocked(me, userId, blocked));
  await ctx.own.setBlocked(userId, blocked);
}

/** These people as the caller may see them (their privacy decides bio and photo), by id. */
async function seenByIds(db: Db, viewerId: number, ids: readonly number[]): Promise<Map<number, User>> {
  const users = await usersSeenBy(db, viewerId, await findAccountsByIds(db, [...ids]));
  return new Map(users.map((u) => [u.id, u]));
}

function toContact(row: { firstName: string; lastName: string | null; addedAt: number; mutual: boolean }, user: User): Contact {
  return {
    user,
    first_name: row.firstName,
    ...(row.lastName ? { last_name: row.lastName } : {}),
    mutual: row.mutual,
    added_at: row.addedAt,
  };
}
