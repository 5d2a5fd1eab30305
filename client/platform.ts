import { fetchWithUploadProgress } from './xhr-upload.js';

/**
 * The few platform capabilities the SDK needs, typed structurally so browsers,
 * Node 22 (undici's WebSocket and fetch), the `ws` package and test fakes all
 * fit. The repo type-checks against Cloudflare's workers-types, whose global
 * `WebSocket` is the server-side one; these interfaces keep the SDK honest
 * about what it actually calls.
 */

export interface WebSocketLike {
  send(data: string): void;
  close(code?: number, reason?: string): void;
  // Method syntax on purpose: it lets DOM, undici and `ws` overloads fit.
  addEventListener(type: 'open' | 'message' | 'close' | 'error', listener: (event: any) => void): void;
}

export type WebSocketConstructor = new (url: string) => WebSocketLike;

export interface ResponseLike {
  readonly status: number;
  text(): Promise<string>;
  /** Needed for downloads (uploadFile and the JSON API do without). */
  readonly headers?: { get(name: string): string | null };
  readonly body?: ReadableStream<Uint8Array> | null;
}

export type FetchLike = (
  url: string,
  init: {
    method: string;
    headers: Record<string, string>;
    body?: string | Uint8Array | Blob;
    signal?: AbortSignal;
    /** Bytes of the body sent so far, where the platform can tell (browsers, see xhr-upload.ts). */
    onUploadProgress?: (sentBytes: number) => void;
  },
) => Promise<ResponseLike>;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as Parameters<typeof globalThis.clearTimeout>[0]),
};

export function sleep(timers: Timers, ms: number): Promise<void> {
  return new Promise((resolve) => timers.setTimeout(resolve, ms));
}

/** The global WebSocket (browsers, Node >= 22); undefined on older runtimes. */
export function defaultWebSocket(): WebSocketConstructor | undefined {
  return (globalThis as { WebSocket?: unknown }).WebSocket as WebSocketConstructor | undefined;
}

/** The global fetch, bound: browsers throw "Illegal invocation" when it is called as a method of another object. */
export function defaultFetch(): FetchLike {
  return fetchWithUploadProgress(globalThis.fetch.bind(globalThis) as FetchLike);
}

/** 16 random bytes as base64url: 22 characters, 128 bits, valid as a protocol RandomId. */
export function randomId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
