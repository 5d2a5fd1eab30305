import { database } from '../../d1/db.js';
import { findAccountsByIds } from '../../d1/queries/accounts.js';
import { visiblePeersAmong } from '../../d1/queries/chats.js';
import { hit, type LimitRule } from '../../d1/queries/rate-limits.js';
import { addReports, type NewReport } from '../../d1/queries/reports.js';
import { fail } from '../../protocol/errors.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { STRANGER_LOOKUPS } from './users.js';

/** Report calls per account: enough for a person, too few to flood the operators' queue. */
export const REPORT_LIMIT: LimitRule = { limit: 30, windowMs: 60 * 60_000 };
/** What a snapshot keeps of a reported text. */
const SNAPSHOT_CHARS = 4096;

async function countReport(ctx: CallContext): Promise<void> {
  const state = await hit(database(ctx.env.DB), `reports:account:${ctx.caller.userId}`, REPORT_LIMIT, ctx.now());
  if (state.count > REPORT_LIMIT.limit) throw fail.rateLimited(state.retryAfterSec);
}

/**
 * Reports go into D1's `reports` queue for operators (`GET /operator/reports`).
 * Each target is read AS THE REPORTER first (the ChatRoom's member and
 * visibility checks, getUsers' look-up rules), so nobody reports, or learns
 * of, what they cannot see; the stored snapshot is what the reporter saw.
 */
export const reportHandlers: Handlers<'reportMessages' | 'reportChat' | 'reportUser'> = {
  async reportMessages(ctx, p) {
    await countReport(ctx);
    const ids = [...new Set(p.message_ids)];
    const seen = unwrap(await chatRoom(ctx.env, p.chat_id).getMessages(ctx.caller.userId, ids));
    if (seen.length === 0) throw fail.notFound('Message');
    const now = ctx.now();
    const rows: NewReport[] = seen.map((m) => ({
      reporterId: ctx.caller.userId,
      targetKind: 'message',
      chatId: p.chat_id,
      messageId: m.id,
      userId: m.sender_id ?? 0,
      reason: p.reason,
      comment: p.comment ?? null,
      snapshot: (m.text ?? '').slice(0, SNAPSHOT_CHARS),
      createdAt: now,
    }));
    return { ok: true, added: await addReports(database(ctx.env.DB), rows) };
  },

  async reportChat(ctx, p) {
    await countReport(ctx);
    const { chat } = unwrap(await chatRoom(ctx.env, p.chat_id).getChat(ctx.caller.userId));
    const row: NewReport = {
      reporterId: ctx.caller.userId,
      targetKind: 'chat',
      chatId: chat.id,
      reason: p.reason,
      comment: p.comment ?? null,
      snapshot: chat.title ?? null,
      createdAt: ctx.now(),
    };
    return { ok: true, added: await addReports(database(ctx.env.DB), [row]) };
  },

  async reportUser(ctx, p) {
    await countReport(ctx);
    const db = database(ctx.env.DB);
    if (p.user_id === ctx.caller.userId) throw fail.badRequest('You cannot report yourself');
    // A stranger costs a look-up, as getUsers counts them, so reports cannot walk ids either.
    if (!(await visiblePeersAmong(db, ctx.caller.userId, [p.user_id])).has(p.user_id)) {
      const budget = await hit(db, `users:lookup:${ctx.caller.userId}`, STRANGER_LOOKUPS, ctx.now());
      if (budget.count > STRANGER_LOOKUPS.limit) throw fail.rateLimited(budget.retryAfterSec);
    }
    const [account] = await findAccountsByIds(db, [p.user_id]);
    if (!account || account.deletedAt) throw fail.notFound('User');
    const row: NewReport = {
      reporterId: ctx.caller.userId,
      targetKind: 'user',
      userId: account.id,
      reason: p.reason,
      comment: p.comment ?? null,
      snapshot: `${account.displayName} (@${account.username})`,
      createdAt: ctx.now(),
    };
    return { ok: true, added: await addReports(db, [row]) };
  },
};
