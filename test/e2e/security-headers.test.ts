/**
 * Security headers on what the browser loads, served by the real local server
 * (`npm start`): the web page and its assets come from Workers static assets
 * with web/public/_headers, which the workerd test pool does not serve. The
 * API's own headers are checked in test/workers/security.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './support/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
});

afterAll(async () => {
  await server?.stop();
});

function expectHardenedPage(res: Response, what: string) {
  expect(res.headers.get('x-content-type-options'), what).toBe('nosniff');
  const csp = res.headers.get('content-security-policy') ?? '';
  expect(csp, what).toContain("frame-ancestors 'none'");
  expect(csp, what).toContain("default-src 'none'");
  expect(csp, what).not.toContain('unsafe-inline');
  expect(csp, what).not.toContain('unsafe-eval');
  expect(res.headers.get('x-frame-options'), what).toBe('DENY');
}

describe('security headers on the web client', () => {
  it('the page at / is the app, and cannot be framed, sniffed or fed foreign scripts', async () => {
    const res = await fetch(`${server.baseUrl}/`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectHardenedPage(res, '/');
    expect(await res.text()).toMatch(/<html/i);
  });

  it('every file the page loads carries them too', async () => {
    const html = await (await fetch(`${server.baseUrl}/`)).text();
    const linked = [...html.matchAll(/(?:src|href)="(\/[^"]+)"/g)].map((m) => m[1]!).filter((p) => !p.startsWith('/v1/'));
    expect(linked.length).toBeGreaterThan(0);
    for (const path of linked) {
      const res = await fetch(`${server.baseUrl}${path}`);
      expect(res.status, path).toBe(200);
      expectHardenedPage(res, path);
    }
  });

  it('an API response and a path no file matches are hardened as well', async () => {
    for (const path of ['/v1/openapi.json', '/no/such/page']) {
      const res = await fetch(`${server.baseUrl}${path}`);
      expect(res.headers.get('x-content-type-options'), path).toBe('nosniff');
      expect(res.headers.get('content-security-policy') ?? '', path).toContain("frame-ancestors 'none'");
    }
  });
});
