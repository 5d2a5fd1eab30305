import type { MiddlewareHandler } from 'hono';
import { cors } from 'hono/cors';
import type { Env } from '../../durable-objects/env.js';

export function allowedOrigins(env: Pick<Env, 'ALLOWED_ORIGINS'>): Set<string> {
  return new Set(
    (env.ALLOWED_ORIGINS ?? '')
      .split(',')
      .map((o) => o.trim())
      .filter(Boolean),
  );
}

/**
 * Browsers always send Origin on cross-origin requests and WebSocket
 * handshakes; SDKs and bots on servers send none. So: no Origin is allowed,
 * the app's own origin is allowed, a listed origin is allowed, anything else
 * is a foreign page and is refused.
 */
export function isOriginAllowed(origin: string | undefined, requestUrl: string, env: Pick<Env, 'ALLOWED_ORIGINS'>) {
  if (!origin) return true;
  if (origin === new URL(requestUrl).origin) return true;
  return allowedOrigins(env).has(origin);
}

/** CORS for the configured origins only; credentials are bearer tokens, never cookies. */
export function corsForAllowedOrigins(): MiddlewareHandler<{ Bindings: Env }> {
  return async function corsMiddleware(c, next) {
    const handler = cors({
      origin: (origin) => (allowedOrigins(c.env).has(origin) ? origin : null),
      allowHeaders: ['Authorization', 'Content-Type', 'Range', 'If-None-Match', 'If-Range'],
      // PUT: upload bodies and parts.
      allowMethods: ['GET', 'POST', 'PUT', 'DELETE', 'OPTIONS'],
      // What downloadFile reads from a file response.
      exposeHeaders: ['Content-Range', 'Content-Length', 'ETag', 'Content-Disposition'],
      maxAge: 600,
    });
    return handler(c, next);
  };
}
