import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from '../../workers/openapi/document.js';
import { api, signup } from './helpers.js';

type OpenApiDocument = {
  openapi: string;
  info: { title: string; version: string };
  paths: Record<string, Record<string, {
    requestBody?: { content: { 'application/json': { schema: { type?: string; properties?: Record<string, unknown>; required?: string[] } } } };
    responses: Record<string, unknown>;
    security?: unknown[];
  }>>;
};

function preflight(origin: string) {
  return api('/v1/auth/login', {
    method: 'OPTIONS',
    headers: { origin, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type, authorization' },
  });
}

describe('HTTP conventions', () => {
  it('sends security headers on /v1 responses, errors included', { timeout: 30_000 }, async () => {
    const account = await signup();
    for (const res of [await api('/v1/auth/me', { token: account.token }), await api('/v1/auth/me'), await api('/v1/nope')]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  it('allows a CORS preflight from a listed origin', async () => {
    const res = await preflight('http://localhost:8787');
    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://localhost:8787');
    expect(res.headers.get('access-control-allow-methods')).toContain('POST');
    expect(res.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('authorization');
    expect(res.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('does not allow a CORS preflight from a foreign origin', async () => {
    const res = await preflight('https://evil.example');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const simple = await api('/v1/openapi.json', { headers: { origin: 'https://evil.example' } });
    expect(simple.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('answers an unknown /v1 path or verb with a JSON NOT_FOUND', async () => {
    for (const [method, path] of [['GET', '/v1/nope'], ['GET', '/v1/auth/signup'], ['POST', '/v1'], ['DELETE', '/v1/auth/me']] as const) {
      const res = await api(path, { method });
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: expect.any(String) } });
    }
  });

  it('serves an OpenAPI 3 document with request schemas for the HTTP API and the account methods', async () => {
    const res = await api('/v1/openapi.json');
    expect(res.status).toBe(200);
    const doc = (await res.json()) as OpenApiDocument;
    // What test/unit/openapi/document.test.ts validates with a standard parser (in Node: the parser needs eval).
    expect(doc).toEqual(JSON.parse(JSON.stringify(buildOpenApiDocument())));
    expect(doc.openapi).toMatch(/^3\.\d+\.\d+$/);
    expect(doc.info.title).toBeTruthy();
    expect(doc.info.version).toBeTruthy();

    for (const [path, verb] of [['/v1/auth/signup', 'post'], ['/v1/sessions', 'get'], ['/v1/connect/ticket', 'post'], ['/v1/call/sendMessage', 'post']] as const) {
      const op = doc.paths[path]?.[verb];
      expect(op, `${verb} ${path}`).toBeDefined();
      expect(Object.keys(op!.responses).length).toBeGreaterThan(0);
    }
    const signupSchema = doc.paths['/v1/auth/signup']!.post!.requestBody!.content['application/json'].schema;
    expect(signupSchema.type).toBe('object');
    expect(signupSchema.required).toEqual(expect.arrayContaining(['username', 'display_name', 'password', 'device']));
    const sendSchema = doc.paths['/v1/call/sendMessage']!.post!.requestBody!.content['application/json'].schema;
    expect(sendSchema.type).toBe('object');
    expect(Object.keys(sendSchema.properties ?? {})).toEqual(expect.arrayContaining(['random_id']));
    expect(doc.paths['/v1/sessions']!.get!.security).toBeDefined();
    expect(doc.paths['/v1/auth/signup']!.post!.security).toBeUndefined();
    // Every operation answers something and every path is under /v1.
    for (const [path, item] of Object.entries(doc.paths)) {
      expect(path.startsWith('/v1/')).toBe(true);
      for (const op of Object.values(item)) expect(op.responses.default).toBeDefined();
    }
  });
});
