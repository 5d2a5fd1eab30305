import type { MiddlewareHandler } from 'hono';

/**
 * API responses are data, never documents: forbid everything a browser could
 * do with them if one were opened directly or framed.
 */
export function securityHeaders(): MiddlewareHandler {
  return async function securityHeadersMiddleware(c, next) {
    await next();
    const h = c.res.headers;
    h.set('X-Content-Type-Options', 'nosniff');
    h.set('Content-Security-Policy', "default-src 'none'; frame-ancestors 'none'");
    h.set('X-Frame-Options', 'DENY');
    h.set('Referrer-Policy', 'no-referrer');
    h.set('Cross-Origin-Resource-Policy', 'same-site');
    if (!h.has('Cache-Control')) h.set('Cache-Control', 'no-store');
  };
}
