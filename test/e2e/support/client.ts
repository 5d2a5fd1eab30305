import { request } from 'node:http';
import type { AuthResult } from '../../../protocol/http/auth.js';
import type { ConnectTicket } from '../../../protocol/http/connect.js';

/** Plain HTTP against a running server: JSON in, status and JSON out. */
export async function call(baseUrl: string, path: string, options: { method?: string; body?: unknown; token?: string } = {}) {
  const headers: Record<string, string> = {};
  if (options.token) headers.authorization = `Bearer ${options.token}`;
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${baseUrl}${path}`, {
    method: options.method ?? (options.body === undefined ? 'GET' : 'POST'),
    headers,
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : null };
}

export async function signupOrLogin(
  baseUrl: string,
  kind: 'signup' | 'login',
  account: { username: string; password: string; deviceName: string },
): Promise<AuthResult> {
  const res = await call(baseUrl, `/v1/auth/${kind}`, {
    body: {
      username: account.username,
      display_name: account.username,
      password: account.password,
      device: { name: account.deviceName, platform: 'node' },
    },
  });
  if (res.status !== (kind === 'signup' ? 201 : 200)) throw new Error(`${kind} failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as AuthResult;
}

/** A real WebSocket (Node's global, undici) with its frames queued for `next()`. */
export type Socket = {
  ws: WebSocket;
  next(timeoutMs?: number): Promise<Record<string, unknown>>;
  send(frame: unknown): void;
  closed: Promise<{ code: number; reason: string }>;
};

export async function openSocket(baseUrl: string, wsUrl: string, token: string): Promise<Socket> {
  const ticket = await call(baseUrl, '/v1/connect/ticket', { method: 'POST', token });
  if (ticket.status !== 200) throw new Error(`ticket failed: ${ticket.status}`);
  const ws = new WebSocket(`${wsUrl}${(ticket.body as ConnectTicket).url}`);
  const queue: string[] = [];
  const waiters: ((text: string) => void)[] = [];
  ws.addEventListener('message', (e) => {
    const text = String(e.data);
    const waiter = waiters.shift();
    if (waiter) waiter(text);
    else queue.push(text);
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    ws.addEventListener('close', (e) => resolve({ code: e.code, reason: e.reason })),
  );
  await new Promise<void>((resolve, reject) => {
    ws.addEventListener('open', () => resolve());
    ws.addEventListener('error', () => reject(new Error('WebSocket failed to open')));
  });
  return {
    ws,
    closed,
    send: (frame) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame)),
    next(timeoutMs = 10_000) {
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

/**
 * A raw WebSocket handshake with chosen headers (browsers' WebSocket cannot
 * set Origin); resolves with the HTTP status and body the server answered.
 */
export function rawUpgrade(baseUrl: string, path: string, headers: Record<string, string>) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    const req = request(`${baseUrl}${path}`, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': Buffer.from(crypto.getRandomValues(new Uint8Array(16))).toString('base64'),
        ...headers,
      },
    });
    req.on('upgrade', (res, socket) => {
      socket.destroy();
      resolve({ status: res.statusCode ?? 0, body: '' });
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8').on('data', (chunk) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
