import { afterEach, describe, expect, test } from 'vitest';
import type { FetchLike } from '../../../client/platform.js';
import { fetchWithUploadProgress } from '../../../client/xhr-upload.js';

/** A browser's XMLHttpRequest, as far as the SDK uses it: it sends in two halves, then answers. */
class FakeXhr {
  static last: FakeXhr | undefined;
  static fail = false;
  method = '';
  url = '';
  headers: Record<string, string> = {};
  status = 0;
  responseText = '';
  upload: { onprogress: ((event: { loaded: number }) => void) | null } = { onprogress: null };
  onload: (() => void) | null = null;
  onerror: (() => void) | null = null;
  onabort: (() => void) | null = null;
  ontimeout: (() => void) | null = null;
  aborted = false;
  open(method: string, url: string) {
    this.method = method;
    this.url = url;
    FakeXhr.last = this;
  }
  setRequestHeader(name: string, value: string) {
    this.headers[name] = value;
  }
  getResponseHeader(name: string) {
    return name === 'etag' ? '"x"' : null;
  }
  send(body: Uint8Array) {
    queueMicrotask(() => {
      this.upload.onprogress?.({ loaded: body.byteLength / 2 });
      if (this.aborted) return this.onabort?.();
      if (FakeXhr.fail) return this.onerror?.();
      this.upload.onprogress?.({ loaded: body.byteLength });
      this.status = 200;
      this.responseText = '{"ok":true}';
      this.onload?.();
    });
  }
  abort() {
    this.aborted = true;
  }
}

const plainFetch: FetchLike = async () => ({ status: 204, text: async () => 'from fetch' });
const setXhr = (value: unknown) => ((globalThis as { XMLHttpRequest?: unknown }).XMLHttpRequest = value);

afterEach(() => {
  setXhr(undefined);
  FakeXhr.fail = false;
});

describe('upload progress in browsers', () => {
  test('a body whose progress is wanted goes through XMLHttpRequest, which reports bytes sent', async () => {
    setXhr(FakeXhr);
    const fetch = fetchWithUploadProgress(plainFetch);
    const sent: number[] = [];
    const response = await fetch('http://e.test/v1/uploads/u/parts/1', {
      method: 'PUT',
      headers: { authorization: 'Bearer t' },
      body: new Uint8Array(10),
      onUploadProgress: (n) => sent.push(n),
    });
    expect(sent).toEqual([5, 10]);
    expect([response.status, await response.text(), response.headers?.get('etag')]).toEqual([200, '{"ok":true}', '"x"']);
    expect(FakeXhr.last).toMatchObject({ method: 'PUT', headers: { authorization: 'Bearer t' } });
  });

  test('everything else, and everything where there is no XMLHttpRequest (Node), uses fetch', async () => {
    setXhr(FakeXhr);
    const withXhr = fetchWithUploadProgress(plainFetch);
    expect(await (await withXhr('http://e.test/v1/me', { method: 'GET', headers: {} })).text()).toBe('from fetch');
    setXhr(undefined);
    expect(fetchWithUploadProgress(plainFetch)).toBe(plainFetch);
  });

  test('a network failure is a TypeError, as with fetch; an abort rejects with the signal’s reason', async () => {
    setXhr(FakeXhr);
    const fetch = fetchWithUploadProgress(plainFetch);
    FakeXhr.fail = true;
    await expect(fetch('http://e.test/x', { method: 'PUT', headers: {}, body: new Uint8Array(4), onUploadProgress: () => {} })).rejects.toThrow(TypeError);
    FakeXhr.fail = false;
    const controller = new AbortController();
    const pending = fetch('http://e.test/x', { method: 'PUT', headers: {}, body: new Uint8Array(4), signal: controller.signal, onUploadProgress: () => controller.abort(new Error('cancelled')) });
    await expect(pending).rejects.toThrow('cancelled');
  });
});
