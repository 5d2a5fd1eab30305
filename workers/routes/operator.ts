import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import { database } from '../../d1/db.js';
import { listReports } from '../../d1/queries/reports.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { newApp } from '../app.js';
import { sha256Hex } from '../auth/tokens.js';

/**
 * Operators' read paths. The project had no operator authentication: these
 * routes take `Authorization: Bearer <OPERATOR_TOKEN>` (a Worker secret,
 * `wrangler secret put OPERATOR_TOKEN`), compared in constant time over
 * SHA-256 digests (equal lengths whatever was sent). Without the secret set,
 * every operator route answers 404, as if it did not exist.
 */
const ReportsQuery = z.strictObject({
  status: z.enum(['open', 'closed']).default('open'),
  after_id: z.coerce.number().int().nonnegative().default(0),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

async function sameSecret(given: string, expected: string): Promise<boolean> {
  const [a, b] = await Promise.all([sha256Hex(given), sha256Hex(expected)]);
  return timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

export const operatorRoutes = newApp()
  .use(async (c, next) => {
    const expected = c.env.OPERATOR_TOKEN;
    if (!expected) throw fail.notFound('Endpoint');
    const header = c.req.header('authorization') ?? '';
    const given = header.startsWith('Bearer ') ? header.slice(7) : '';
    if (!given || !(await sameSecret(given, expected))) throw new EdgegramError(ErrorCode.UNAUTHORIZED, 'The operator token is missing or wrong');
    await next();
  })
  /** The reports queue (services/account-api/reports.ts), oldest first, paged by `after_id`. */
  .get('/reports', async (c) => {
    const parsed = ReportsQuery.safeParse(c.req.query());
    if (!parsed.success) throw fail.badRequest('Query: status (open|closed), after_id, limit (1-500)');
    const rows = await listReports(database(c.env.DB), { status: parsed.data.status, afterId: parsed.data.after_id, limit: parsed.data.limit });
    return c.json({
      reports: rows.map((r) => ({
        id: r.id,
        reporter_id: r.reporterId,
        target: { kind: r.targetKind, chat_id: r.chatId || null, message_id: r.messageId || null, user_id: r.userId || null },
        reason: r.reason,
        comment: r.comment,
        snapshot: r.snapshot,
        status: r.status,
        created_at: r.createdAt,
      })),
    });
  });
