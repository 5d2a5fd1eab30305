import type { OwnMailbox } from '../../services/account-api/context.js';
import { dispatch } from '../../services/account-api/dispatch.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { mailbox } from '../../durable-objects/stubs.js';
import type { Env } from '../../durable-objects/env.js';
import { newApp } from '../app.js';
import { requireSession } from '../middleware/session.js';
import { jsonBody } from '../validate.js';
import { z } from 'zod';

/** The account API over HTTP: `POST /v1/call/<method>` with the method's params as the body. */
export const callRoutes = newApp()
  .use(requireSession())
  .post('/:method', async (c) => {
    const { accountId, sessionId, deviceId } = c.var.session;
    const params = await jsonBody(c, z.unknown());
    const result = await dispatch(
      { env: c.env, caller: { userId: accountId, sessionId, deviceId }, own: remoteOwn(c.env, accountId), now: Date.now },
      c.req.param('method'),
      params,
    );
    return c.json(result as object);
  });

/** Outside the mailbox DO, the caller's own mailbox is reached by RPC. */
function remoteOwn(env: Env, userId: number): OwnMailbox {
  const stub = mailbox(env, userId);
  return {
    getState: async () => unwrap(await stub.getState(userId)),
    getDifference: async (pts, limit) => unwrap(await stub.getDifference(userId, pts, limit)),
    getDialogs: async (options) => unwrap(await stub.getDialogs(userId, options)),
    announceProfile: (user) => stub.announceProfile(userId, user),
    announcePresenceRule: () => stub.announcePresenceRule(userId),
    privateChatWith: async (peerId) => unwrap(await stub.privateChatWith(userId, peerId)),
    setBlocked: async (peerId, blocked) => unwrap(await stub.setBlocked(userId, peerId, blocked)),
    closeSessions: (sessionIds) => stub.closeSessions(sessionIds),
    scheduleAccountJob: (job, at) => stub.scheduleAccountJob(userId, job, at),
    acceptMessageRequest: async (chatId) => unwrap(await stub.acceptMessageRequest(userId, chatId)),
  };
}
