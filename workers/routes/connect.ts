import { database } from '../../d1/db.js';
import { keyring } from '../../d1/queries/secrets.js';
import { mailbox } from '../../durable-objects/stubs.js';
import { TICKET_LIFETIME_MS } from '../../durable-objects/user-mailbox/connect-gate.js';
import { IDENTITY_HEADER, type UpgradeIdentity } from '../../durable-objects/user-mailbox/connections.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { ConnectQuery, type ConnectTicket } from '../../protocol/http/connect.js';
import { newApp } from '../app.js';
import { newNonce, readTicket, signTicket } from '../auth/connect-tickets.js';
import { requireSession } from '../middleware/session.js';
import { isOriginAllowed } from '../middleware/origins.js';
import { parseSchema } from '../../services/account-api/parse.js';

export { TICKET_LIFETIME_MS };

/** The HMAC keys of connect tickets, in D1 (generated on first use), cached per isolate. */
const ticketKeys = keyring('connect_ticket', 5 * 60_000);

export const connectRoutes = newApp()
  .post('/ticket', requireSession(), async (c) => {
    const { session } = c.var;
    const now = Date.now();
    // A ticket never outlives its session.
    const expiresAt = Math.min(now + TICKET_LIFETIME_MS, session.expiresAt);
    const key = await ticketKeys.current(database(c.env.DB), now);
    const ticket = await signTicket(key, {
      sessionId: session.sessionId,
      userId: session.accountId,
      deviceId: session.deviceId,
      expiresAt,
      nonce: newNonce(),
      sessionExpiresAt: session.expiresAt,
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
    const claims = await readTicket(ticket, (id) => ticketKeys.secretById(database(c.env.DB), id), Date.now());
    if (!claims) throw new EdgegramError(ErrorCode.TICKET_INVALID, 'Connect ticket is unknown, expired or used');
    // The identity the mailbox trusts is the one verified here; the DO is
    // reachable only through this Worker. The mailbox spends the nonce.
    const identity: UpgradeIdentity = {
      userId: claims.userId,
      sessionId: claims.sessionId,
      deviceId: claims.deviceId,
      sessionExpiresAt: claims.sessionExpiresAt,
      ticket: { nonce: claims.nonce, expiresAt: claims.expiresAt },
    };
    const headers = new Headers({ upgrade: 'websocket', [IDENTITY_HEADER]: JSON.stringify(identity) });
    return mailbox(c.env, claims.userId).fetch(new Request('https://mailbox/connect', { headers }));
  });
