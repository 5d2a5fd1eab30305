import { database } from '../../d1/db.js';
import { createTicket, redeemTicket } from '../../d1/queries/sessions.js';
import { mailbox } from '../../durable-objects/stubs.js';
import { IDENTITY_HEADER } from '../../durable-objects/user-mailbox/index.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { ConnectQuery, type ConnectTicket } from '../../protocol/http/connect.js';
import { newApp } from '../app.js';
import { randomToken, sha256Hex } from '../auth/tokens.js';
import { requireSession } from '../middleware/session.js';
import { isOriginAllowed } from '../middleware/origins.js';
import { parseSchema } from '../../durable-objects/methods/parse.js';

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
    const { ticket } = parseSchema(ConnectQuery, c.req.query(), 'query');
    const session = await redeemTicket(database(c.env.DB), await sha256Hex(ticket), Date.now());
    if (!session) throw new EdgegramError(ErrorCode.TICKET_INVALID, 'Connect ticket is unknown, expired or used');
    // The identity the mailbox trusts is the one verified here; the DO is
    // reachable only through this Worker.
    const headers = new Headers({ upgrade: 'websocket' });
    headers.set(
      IDENTITY_HEADER,
      JSON.stringify({ userId: session.accountId, sessionId: session.sessionId, deviceId: session.deviceId }),
    );
    return mailbox(c.env, session.accountId).fetch(new Request('https://mailbox/connect', { headers }));
  });
