import { env, SELF } from 'cloudflare:test';
import type { AuthResult } from '../../protocol/http/auth.js';
import type { ConnectTicket } from '../../protocol/http/connect.js';

/** Requests go to a host that is not on ALLOWED_ORIGINS, so Origin tests mean something. */
export const BASE = 'https://api.edgegram.test';
export const PASSWORD = 'correct horse battery';

let counter = 0;

/** A username no other test uses (storage is shared by the tests of a file). */
export function uniqueUsername(prefix = 'user'): string {
  counter += 1;
  return `${prefix}_${counter}_${crypto.randomUUID().slice(0, 8)}`.slice(0, 32);
}

/** A fresh client IP: every test gets its own per-IP rate-limit budget. */
export function randomIp(): string {
  const b = crypto.getRandomValues(new Uint8Array(3));
  return `10.${b[0]}.${b[1]}.${b[2]}`;
}

export type ApiOptions = {
  method?: string;
  /** Serialized as JSON unless it is already a string. */
  body?: unknown;
  token?: string;
  ip?: string;
  headers?: Record<string, string>;
};

export function api(path: string, options: ApiOptions = {}): Promise<Response> {
  const headers = new Headers(options.headers);
  if (options.token) headers.set('authorization', `Bearer ${options.token}`);
  headers.set('cf-connecting-ip', options.ip ?? randomIp());
  let body: string | undefined;
  if (options.body !== undefined) {
    body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    if (!headers.has('content-type')) headers.set('content-type', 'application/json');
  }
  return SELF.fetch(`${BASE}${path}`, { method: options.method ?? (body ? 'POST' : 'GET'), headers, body });
}

/** The error code of a failed response, asserting the `{ error: { code } }` shape. */
export async function errorCode(res: Response): Promise<string> {
  const body = (await res.json()) as { error?: { code?: string } };
  return body.error?.code ?? `no error code in ${JSON.stringify(body)}`;
}

export type Account = AuthResult & { token: string; username: string; password: string };

export function device(name = 'Test laptop', platform = 'web') {
  return { name, platform, app_version: '0.1.0' };
}

export async function signup(
  options: { username?: string; displayName?: string; password?: string; ip?: string; deviceName?: string } = {},
): Promise<Account> {
  const username = options.username ?? uniqueUsername();
  const password = options.password ?? PASSWORD;
  const res = await api('/v1/auth/signup', {
    body: { username, display_name: options.displayName ?? 'Test User', password, device: device(options.deviceName) },
    ip: options.ip,
  });
  if (res.status !== 201) throw new Error(`signup ${username} failed: ${res.status} ${await res.text()}`);
  const result = (await res.json()) as AuthResult;
  return { ...result, token: result.session.token, username, password };
}

export function loginRequest(username: string, password: string, options: { ip?: string; deviceName?: string } = {}) {
  return api('/v1/auth/login', {
    body: { username, password, device: device(options.deviceName ?? 'Second phone', 'android') },
    ip: options.ip,
  });
}

export async function login(account: { username: string; password: string }, options: { ip?: string; deviceName?: string } = {}) {
  const res = await loginRequest(account.username, account.password, options);
  if (res.status !== 200) throw new Error(`login ${account.username} failed: ${res.status} ${await res.text()}`);
  const result = (await res.json()) as AuthResult;
  return { ...result, token: result.session.token, username: account.username, password: account.password };
}

export async function ticketFor(token: string): Promise<string> {
  const res = await api('/v1/connect/ticket', { method: 'POST', token });
  if (res.status !== 200) throw new Error(`ticket failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as ConnectTicket).ticket;
}

export async function countRows(table: string): Promise<number> {
  const row = await env.DB.prepare(`SELECT count(*) AS n FROM ${table}`).first<{ n: number }>();
  return row?.n ?? 0;
}

/** A WebSocket accepted on the client side, with its frames queued for `next()`. */
export type TestSocket = {
  ws: WebSocket;
  /** The next text frame, parsed; fails after `timeoutMs`. */
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
};

export function acceptSocket(ws: WebSocket): TestSocket {
  const queue: string[] = [];
  const waiters: ((text: string) => void)[] = [];
  ws.addEventListener('message', (e) => {
    const text = typeof e.data === 'string' ? e.data : new TextDecoder().decode(e.data as ArrayBuffer);
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else queue.push(text);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })),
  );
  ws.accept();
  return {
    ws,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(timeoutMs = 5_000) {
      const queued = queue.shift();
      if (queued !== undefined) return Promise.resolve(JSON.parse(queued));
      return new Promise((resolve, reject) => {
        const waiter = (text: string) => {
          clearTimeout(timer);
          resolve(JSON.parse(text));
        };
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no frame within ${timeoutMs} ms`));
        }, timeoutMs);
        waiters.push(waiter);
      });
    },
  };
}

/** Redeems a ticket for a WebSocket upgrade through the Worker. */
export function upgrade(ticket: string, headers: Record<string, string> = {}): Promise<Response> {
  return SELF.fetch(`${BASE}/v1/connect?ticket=${encodeURIComponent(ticket)}`, {
    headers: { upgrade: 'websocket', ...headers },
  });
}

/** Mints a ticket for the session and opens its socket; the hello frame is already read. */
export async function connect(token: string): Promise<TestSocket & { hello: Record<string, unknown> }> {
  const res = await upgrade(await ticketFor(token));
  if (res.status !== 101 || !res.webSocket) throw new Error(`upgrade failed: ${res.status} ${await res.text()}`);
  const socket = acceptSocket(res.webSocket);
  return { ...socket, hello: await socket.next() };
}
