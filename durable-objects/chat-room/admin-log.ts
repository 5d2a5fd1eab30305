import {
  ADMIN_LOG_PAGE_LIMIT,
  ADMIN_LOG_RETENTION_MS,
  AdminAction,
  type AdminLogDetails,
  type AdminLogEntry,
} from '../../protocol/admin-log.js';
import { fail } from '../../protocol/errors.js';
import { readStoredOr } from '../sql/stored-json.js';
import type { RoomContext } from './context.js';
import { requireMember } from './state.js';
import { ADMIN_LOG_DETAILS } from './stored.js';

/**
 * Recent actions: every change a manager makes is noted here, inside the
 * change's own transaction (so the log and the chat never disagree), and
 * kept 48 hours. Read by the chat's creator and admins, filtered by who
 * acted and what they did.
 */

/** Inside a verb's transaction: notes what `actorId` did (and prunes what is past the retention). */
export function noteAdminAction(
  ctx: RoomContext,
  actorId: number,
  action: AdminAction,
  details: AdminLogDetails = {},
  userId?: number,
): void {
  const now = ctx.now();
  ctx.store.exec(
    'INSERT INTO admin_log (at, actor_id, action, user_id, details) VALUES (?, ?, ?, ?, ?)',
    now,
    actorId,
    action,
    userId ?? null,
    JSON.stringify(details),
  );
  ctx.store.exec('DELETE FROM admin_log WHERE at < ?', now - ADMIN_LOG_RETENTION_MS);
}

type LogRow = { id: number; at: number; actor_id: number; action: string; user_id: number | null; details: string };

export type AdminLogQuery = { actorIds?: number[]; actions?: AdminAction[]; beforeId?: number; limit?: number };

/** The newest entries first (before `beforeId`), of the last 48 hours; the creator and admins only. */
export function getAdminLog(ctx: RoomContext, viewerId: number, query: AdminLogQuery = {}): AdminLogEntry[] {
  const { chat, member } = requireMember(ctx.store, viewerId);
  if (chat.kind === 'private') throw fail.badRequest('Private chats have no admins');
  if (member.role === 'member') throw fail.forbidden('Only the creator and admins see recent actions');
  const limit = Math.min(Math.max(1, query.limit ?? 50), ADMIN_LOG_PAGE_LIMIT);
  const rows = ctx.store.exec<LogRow>(
    `SELECT * FROM admin_log
     WHERE at >= ?1 AND id < ?2
       AND (?3 IS NULL OR actor_id IN (SELECT value FROM json_each(?3)))
       AND (?4 IS NULL OR action IN (SELECT value FROM json_each(?4)))
     ORDER BY id DESC LIMIT ?5`,
    ctx.now() - ADMIN_LOG_RETENTION_MS,
    query.beforeId ?? Number.MAX_SAFE_INTEGER,
    query.actorIds?.length ? JSON.stringify(query.actorIds) : null,
    query.actions?.length ? JSON.stringify(query.actions) : null,
    limit,
  );
  return rows.flatMap((row) => {
    const action = AdminAction.safeParse(row.action);
    // An action this code does not know (written by a newer release) is left out rather than mislabeled.
    if (!action.success) return [];
    const details = readStoredOr(ADMIN_LOG_DETAILS, row.details, {}, { admin_log: row.id });
    return [
      {
        id: row.id,
        date: row.at,
        actor_id: row.actor_id,
        action: action.data,
        ...(row.user_id !== null ? { user_id: row.user_id } : {}),
        details,
      },
    ];
  });
}

export const adminLogVerbs = { getAdminLog };
