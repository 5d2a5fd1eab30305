import { database } from '../../d1/db.js';
import { deleteOtherSessions, deleteSession, listSessions } from '../../d1/queries/sessions.js';
import { mailbox } from '../../durable-objects/stubs.js';
import { fail } from '../../protocol/errors.js';
import type { OkResult } from '../../protocol/http/auth.js';
import { SessionIdParam, type SessionList, type TerminateOthersResult } from '../../protocol/http/sessions.js';
import { newApp } from '../app.js';
import { requireSession } from '../middleware/session.js';
import { parseSchema } from '../../services/account-api/parse.js';

export const sessionRoutes = newApp()
  .use(requireSession())
  .get('/', async (c) => {
    const { accountId, sessionId } = c.var.session;
    const rows = await listSessions(database(c.env.DB), accountId, Date.now());
    const sessions = rows
      .map(({ session, device }) => ({
        id: session.id,
        current: session.id === sessionId,
        device: {
          id: device.id,
          name: device.name,
          platform: device.platform,
          app_version: device.appVersion,
          ip: device.ip,
          country: device.country,
          city: device.city,
        },
        created_at: session.createdAt,
        last_active_at: device.lastActiveAt,
      }))
      .sort((a, b) => Number(b.current) - Number(a.current) || b.last_active_at - a.last_active_at);
    return c.json({ sessions } satisfies SessionList);
  })
  .post('/terminate-others', async (c) => {
    const { accountId, sessionId } = c.var.session;
    const ended = await deleteOtherSessions(database(c.env.DB), accountId, sessionId);
    if (ended.length > 0) await mailbox(c.env, accountId).closeSessions(ended);
    return c.json({ terminated: ended.length } satisfies TerminateOthersResult);
  })
  .delete('/:id', async (c) => {
    const { id } = parseSchema(SessionIdParam, c.req.param(), 'session id');
    const { accountId } = c.var.session;
    // Another account's session is indistinguishable from a missing one.
    if (!(await deleteSession(database(c.env.DB), accountId, id))) throw fail.notFound('Session');
    await mailbox(c.env, accountId).closeSessions([id]);
    return c.json({ ok: true } satisfies OkResult);
  });
