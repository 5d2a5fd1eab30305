import type { FetchLike, ResponseLike } from './platform.js';

/**
 * Upload progress in browsers. `fetch` cannot report how much of a request
 * body has gone out (a streamed body needs HTTP/2 in Chrome and still only
 * says what was read, not sent), so a request that asks for progress goes
 * through XMLHttpRequest, whose `upload.onprogress` counts bytes on the
 * wire. Typed structurally: the repo type-checks against workers-types,
 * which have no XMLHttpRequest.
 */
interface XhrLike {
  open(method: string, url: string): void;
  setRequestHeader(name: string, value: string): void;
  getResponseHeader(name: string): string | null;
  send(body?: unknown): void;
  abort(): void;
  readonly status: number;
  readonly responseText: string;
  readonly upload: { onprogress: ((event: { loaded: number }) => void) | null };
  onload: (() => void) | null;
  onerror: (() => void) | null;
  onabort: (() => void) | null;
  ontimeout: (() => void) | null;
}
type XhrConstructor = new () => XhrLike;

/** `fetch` for everything, XMLHttpRequest for bodies whose progress is wanted; plain `fetch` where there is no XHR (Node). */
export function fetchWithUploadProgress(fetch: FetchLike): FetchLike {
  const Xhr = (globalThis as { XMLHttpRequest?: XhrConstructor }).XMLHttpRequest;
  if (!Xhr) return fetch;
  return (url, init) => (init.onUploadProgress && init.body !== undefined ? xhrRequest(Xhr, url, init) : fetch(url, init));
}

function xhrRequest(Xhr: XhrConstructor, url: string, init: Parameters<FetchLike>[1]): Promise<ResponseLike> {
  return new Promise((resolve, reject) => {
    const xhr = new Xhr();
    const { signal } = init;
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => xhr.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => signal?.removeEventListener('abort', onAbort);
    xhr.open(init.method, url);
    for (const [name, value] of Object.entries(init.headers)) xhr.setRequestHeader(name, value);
    xhr.upload.onprogress = (event) => init.onUploadProgress!(event.loaded);
    xhr.onload = () => {
      settle();
      const text = xhr.responseText;
      resolve({ status: xhr.status, text: async () => text, headers: { get: (name) => xhr.getResponseHeader(name) } });
    };
    // As fetch does: a network failure is a TypeError, an abort is the signal's reason.
    xhr.onerror = xhr.ontimeout = () => {
      settle();
      reject(new TypeError(`${init.method} ${url}: network error`));
    };
    xhr.onabort = () => {
      settle();
      reject(signal?.reason ?? new DOMException('Aborted', 'AbortError'));
    };
    xhr.send(init.body);
  });
}
