import type { MiddlewareHandler } from 'hono';
import { database } from '../../d1/db.js';
import { findSessionByTokenHash, touchDevice } from '../../d1/queries/sessions.js';
import { fail } from '../../protocol/errors.js';
import type { AppEnv } from '../app.js';
import { sha256Hex } from '../auth/tokens.js';

/** A device's last-active time is written at most this often, not on every request. */
const TOUCH_INTERVAL_MS = 60_000;

/** Requires `Authorization: Bearer <token>` of a live session; sets `c.var.session`. */
export function requireSession(options: { now?: () => number } = {}): MiddlewareHandler<AppEnv> {
  const now = options.now ?? Date.now;
  return async function requireSessionMiddleware(c, next) {
    const header = c.req.header('authorization') ?? '';
    const match = /^Bearer ([A-Za-z0-9_-]{16,128})$/.exec(header);
    if (!match) throw fail.unauthorized();
    const at = now();
    const db = database(c.env.DB);
    const session = await findSessionByTokenHash(db, await sha256Hex(match[1]!), at);
    if (!session) throw fail.unauthorized('Session expired or terminated');
    if (at - session.lastActiveAt > TOUCH_INTERVAL_MS) {
      c.executionCtx.waitUntil(touchDevice(db, session.deviceId, at));
    }
    c.set('session', session);
    await next();
  };
}
