import { SELF } from 'cloudflare:test';
import createClient from 'openapi-fetch';
import { describe, expect, it } from 'vitest';
import type { paths } from '../../protocol/http/openapi.generated.js';
import { BASE, device, PASSWORD, randomIp, uniqueUsername } from './helpers.js';

/**
 * A client typed only by the types generated from /v1/openapi.json
 * (`npm run openapi:types`). The typecheck checks every call below against
 * them, so a route whose document drifts from what a client sends fails
 * there; running it against the real worker checks the document tells the
 * truth about what the routes accept and answer.
 */
function typedClient(token?: string) {
  return createClient<paths>({
    baseUrl: BASE,
    fetch: (request) => SELF.fetch(request),
    // A fresh IP per client, so sign-ups and logins stay within the per-IP limit.
    headers: { 'cf-connecting-ip': randomIp(), ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

describe('a client generated from the OpenAPI document', { timeout: 60_000 }, () => {
  it('signs up, reads its sync state, and terminates another session by its id', async () => {
    const username = uniqueUsername('typed');
    const signedUp = await typedClient().POST('/v1/auth/signup', {
      body: { username, display_name: 'Typed Client', password: PASSWORD, device: device('Typed laptop') },
    });
    expect(signedUp.response.status).toBe(201);
    expect(signedUp.data?.user.username).toBe(username);
    const laptop = typedClient(signedUp.data!.session.token);

    const state = await laptop.POST('/v1/call/getState', { body: {} });
    expect(state.response.status).toBe(200);
    expect(state.data).toEqual({ pts: 0, date: expect.any(Number) });

    const phone = await typedClient().POST('/v1/auth/login', {
      body: { username, password: PASSWORD, device: device('Typed phone', 'android') },
    });
    expect(phone.response.status).toBe(200);
    const phoneSessionId = phone.data!.session.id;

    const ended = await laptop.DELETE('/v1/sessions/{id}', { params: { path: { id: phoneSessionId } } });
    expect(ended.data).toEqual({ ok: true });
    const left = await laptop.GET('/v1/sessions');
    expect(left.data?.sessions.map((s) => s.id)).toEqual([signedUp.data!.session.id]);

    // The error side of the document: the one error shape, typed.
    const again = await laptop.DELETE('/v1/sessions/{id}', { params: { path: { id: phoneSessionId } } });
    expect(again.response.status).toBe(404);
    expect(again.error?.error.code).toBe('NOT_FOUND');
  });

  it('passes integer path parameters where the route expects a part number', async () => {
    const signedUp = await typedClient().POST('/v1/auth/signup', {
      body: { username: uniqueUsername('typed'), display_name: 'Typed Uploader', password: PASSWORD, device: device() },
    });
    const client = typedClient(signedUp.data!.session.token);
    const declared = await client.POST('/v1/uploads', { body: { size: 3, file_name: 'a.txt' } });
    expect(declared.response.status).toBe(201);
    const id = declared.data!.upload_id;

    // A 3-byte file is a single upload, so a numbered part is refused: the
    // route parsed `n` (sent as the digits of an integer) and reached the upload.
    const part = await client.PUT('/v1/uploads/{id}/parts/{n}', {
      params: { path: { id, n: 1 } },
      body: 'abc',
      bodySerializer: (body) => body,
      headers: { 'content-type': 'application/octet-stream' },
    });
    expect(part.error?.error.code).toBe('UPLOAD_PART_INVALID');
    const status = await client.GET('/v1/uploads/{id}', { params: { path: { id } } });
    expect(status.data).toMatchObject({ upload_id: id, mode: 'single', received: [] });
  });
});

// Compile-time only (never called): the generated types refuse calls the routes would refuse.
export function callsTheGeneratedTypesRefuse(client: ReturnType<typeof typedClient>) {
  // @ts-expect-error: the session id is a required path parameter.
  void client.DELETE('/v1/sessions/{id}', {});
  // @ts-expect-error: a part number is an integer, not text.
  void client.PUT('/v1/uploads/{id}/parts/{n}', { params: { path: { id: 'x', n: 'one' } }, body: '' });
  // @ts-expect-error: no such route.
  void client.GET('/v1/nope');
}
