import { EdgegramError, ErrorCode, toErrorBody, type ErrorResponse } from '../protocol/errors.js';
import { newApp } from './app.js';
import { corsForAllowedOrigins } from './middleware/origins.js';
import { securityHeaders } from './middleware/security-headers.js';
import { authRoutes } from './routes/auth.js';
import { callRoutes } from './routes/call.js';
import { connectRoutes } from './routes/connect.js';
import { openapiRoutes } from './routes/openapi.js';
import { sessionRoutes } from './routes/sessions.js';

export { ChatRoom } from '../durable-objects/chat-room/index.js';
export { UserMailbox } from '../durable-objects/user-mailbox/index.js';

const app = newApp();
app.use('/v1/*', securityHeaders(), corsForAllowedOrigins());
app.route('/v1/auth', authRoutes);
app.route('/v1/sessions', sessionRoutes);
app.route('/v1/connect', connectRoutes);
app.route('/v1/call', callRoutes);
app.route('/v1/openapi.json', openapiRoutes);

app.notFound((c) => c.json({ error: { code: ErrorCode.NOT_FOUND, message: 'No such endpoint' } } satisfies ErrorResponse, 404));

/** The one place errors become responses. */
app.onError((err, c) => {
  if (!(err instanceof EdgegramError)) console.error('unhandled error', err);
  const body = toErrorBody(err);
  const status = err instanceof EdgegramError ? err.status : 500;
  const headers: Record<string, string> = body.retry_after ? { 'Retry-After': String(body.retry_after) } : {};
  return c.json({ error: body } satisfies ErrorResponse, status as 400, headers);
});

export default app;
