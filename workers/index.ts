import { EdgegramError, ErrorCode, toErrorBody, type ErrorResponse } from '../protocol/errors.js';
import { newApp } from './app.js';
import { botApiRoutes } from './bot-api/routes.js';
import { corsForAllowedOrigins } from './middleware/origins.js';
import { securityHeaders } from './middleware/security-headers.js';
import { authRoutes } from './routes/auth.js';
import { callRoutes } from './routes/call.js';
import { connectRoutes } from './routes/connect.js';
import { devSeedingRoutes } from './routes/dev-seeding.js';
import { exportRoutes } from './routes/exports.js';
import { fileRoutes } from './routes/files.js';
import { inviteLinkRoutes } from './routes/invite-links.js';
import { openapiRoutes } from './routes/openapi.js';
import { operatorRoutes } from './routes/operator.js';
import { passkeyRoutes } from './routes/passkeys.js';
import { qrLoginRoutes } from './routes/qr-login.js';
import { sessionRoutes } from './routes/sessions.js';
import { uploadRoutes } from './routes/uploads.js';
import { runMaintenance } from './media/maintenance.js';
import type { Env } from '../durable-objects/env.js';

export { ChatRoom } from '../durable-objects/chat-room/index.js';
export { UserMailbox } from '../durable-objects/user-mailbox/index.js';
export { FileReaper } from '../durable-objects/file-reaper/index.js';
export { FanoutShard } from '../durable-objects/fanout-shard/index.js';

const app = newApp();
// Every Worker response, not only /v1: /bot* and paths no static asset matches reach the Worker too.
app.use('*', securityHeaders());
app.use('/v1/*', corsForAllowedOrigins());
app.route('/v1/auth', authRoutes);
app.route('/v1/auth/passkeys', passkeyRoutes);
app.route('/v1/auth/qr-login', qrLoginRoutes);
app.route('/v1/sessions', sessionRoutes);
app.route('/v1/connect', connectRoutes);
app.route('/v1/call', callRoutes);
app.route('/v1/uploads', uploadRoutes);
app.route('/v1/files', fileRoutes);
app.route('/v1/exports', exportRoutes);
app.route('/v1/openapi.json', openapiRoutes);
// Local only: answers 404 unless the DEV_SEEDING binding is set (never in a deployment).
app.route('/v1/dev', devSeedingRoutes);
// Operators only (Bearer OPERATOR_TOKEN; 404 when the secret is unset): the reports queue.
app.route('/operator', operatorRoutes);
// The Telegram Bot API, at the root (see workers/bot-api/routes.ts).
app.route('/', botApiRoutes);
// Shared links, `/+<token>` and `/<username>`, into the web client (after the Bot API: `/bot…` paths are its own).
app.route('/', inviteLinkRoutes);

app.notFound((c) => c.json({ error: { code: ErrorCode.NOT_FOUND, message: 'No such endpoint' } } satisfies ErrorResponse, 404));

/** The one place errors become responses. */
app.onError((err, c) => {
  if (!(err instanceof EdgegramError)) console.error('unhandled error', err);
  const body = toErrorBody(err);
  const status = err instanceof EdgegramError ? err.status : 500;
  const headers: Record<string, string> = body.retry_after ? { 'Retry-After': String(body.retry_after) } : {};
  return c.json({ error: body } satisfies ErrorResponse, status as 400, headers);
});

export default {
  fetch: app.fetch,
  /** Cron (wrangler.toml): abandoned uploads, a sweep for unheld files, key pruning. Idempotent. */
  async scheduled(controller, env, ctx) {
    ctx.waitUntil(runMaintenance(env, controller.scheduledTime));
  },
} satisfies ExportedHandler<Env>;
