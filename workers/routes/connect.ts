import { database } from '../../d1/db.js';
import { createTicket, redeemTicket } from '../../d1/queries/sessions.js';
import { mailbox } from '../../durable-objects/stubs.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { ConnectQuery, type ConnectTicket } from '../../protocol/http/connect.js';
import { newApp } from '../app.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import { requireSession } from '../middleware/session.js';
import { isOriginAllowed } from '../middleware/origins.js';
import { parseWith } from '../validate.js';

/** Long enough to open a socket right after asking; short enough that a leaked URL is useless. */
export const TICKET_LIFETIME_MS = 30_000;

export const connectRoutes = newApp()
  .post('/ticket', requireSession(), async (c) => {
    const ticket = randomToken();
    const now = Date.now();
    const expiresAt = now + TICKET_LIFETIME_MS;
    await createTicket(database(c.env.DB), {
      ticketHash: await sha256Hex(ticket),
      sessionId: c.var.session.sessionId,
      expiresAt,
      now,
    });
    return c.json({ ticket, expires_at: expiresAt, url: `/v1/connect?ticket=${ticket}` } satisfies ConnectTicket);
  })
  .get('/', async (c) => {
    if (c.req.header('upgrade')?.toLowerCase() !== 'websocket') {
      throw new EdgegramError(ErrorCode.BAD_REQUEST, 'Expected a WebSocket upgrade');
    }
    if (!isOriginAllowed(c.req.header('origin'), c.req.url, c.env)) {
      throw new EdgegramError(ErrorCode.ORIGIN_NOT_ALLOWED, 'This origin may not connect');
    }
    const { ticket } = parseWith(ConnectQuery, c.req.query(), 'query');
    const session = await redeemTicket(database(c.env.DB), await sha256Hex(ticket), Date.now());
    if (!session) throw new EdgegramError(ErrorCode.TICKET_INVALID, 'Connect ticket is unknown, expired or used');
    return mailbox(c.env, session.accountId).connect({
      userId: session.accountId,
      sessionId: session.sessionId,
      deviceId: session.deviceId,
    });
  });
