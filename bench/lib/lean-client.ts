import WebSocket from 'ws';

/**
 * A lean Edgegram client for the load generator: raw frames as protocol/ws.ts
 * defines them, no schema parsing on the hot path (the SDK in client/ does
 * that; here the client must not be the bottleneck). Results are parsed only
 * where a scenario needs their content.
 */

export const BENCH_PASSWORD = 'bench-password-1';
const DEVICE = { name: 'bench', platform: 'node' };

export class ApiError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

export class EdgegramHttp {
  constructor(readonly base: string) {}

  /** `ip` goes in CF-Connecting-IP, which the local server trusts (sign-ups are limited per IP). */
  async signup(username: string, ip: string): Promise<{ userId: number; token: string }> {
    const body = { username, display_name: username, password: BENCH_PASSWORD, device: DEVICE };
    const r = await this.post<{ user: { id: number }; session: { token: string } }>('/v1/auth/signup', body, { 'cf-connecting-ip': ip });
    return { userId: r.user.id, token: r.session.token };
  }

  /** A second session: another device of the same account. */
  async login(username: string, ip: string): Promise<string> {
    const body = { username, password: BENCH_PASSWORD, device: { ...DEVICE, name: 'bench-2' } };
    return (await this.post<{ session: { token: string } }>('/v1/auth/login', body, { 'cf-connecting-ip': ip })).session.token;
  }

  async ticket(token: string): Promise<string> {
    return (await this.post<{ ticket: string }>('/v1/connect/ticket', {}, { authorization: `Bearer ${token}` })).ticket;
  }

  /** An account method over HTTP (POST /v1/call/<method>). */
  call<T>(token: string, method: string, params: unknown): Promise<T> {
    return this.post<T>(`/v1/call/${method}`, params, { authorization: `Bearer ${token}` });
  }

  private async post<T>(path: string, body: unknown, headers: Record<string, string>): Promise<T> {
    const res = await fetch(this.base + path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const json = (await res.json()) as { error?: { code: string; message: string } };
    if (!res.ok || json.error) throw new ApiError(json.error?.code ?? `HTTP_${res.status}`, json.error?.message ?? '');
    return json as T;
  }
}

type Waiter = { resolve: (raw: string) => void; reject: (err: ApiError) => void };

/** One device: a WebSocket to the account's mailbox. */
export class Device {
  /** The highest pts seen in pushed updates. */
  pts = 0;
  bytesIn = 0;
  /** Called with every `updates` frame and its arrival time. */
  onUpdates: ((raw: string, at: number) => void) | undefined;
  private readonly waiters = new Map<string, Waiter>();
  private calls = 0;

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => this.receive(data.toString(), performance.now()));
    ws.on('error', () => {});
    ws.on('close', () => {
      for (const w of this.waiters.values()) w.reject(new ApiError('SOCKET_CLOSED', 'socket closed'));
      this.waiters.clear();
    });
  }

  /** Mints a ticket, opens the socket, and resolves after the server's hello. */
  static async connect(http: EdgegramHttp, token: string): Promise<Device> {
    const ticket = await http.ticket(token);
    const ws = new WebSocket(`${http.base.replace(/^http/, 'ws')}/v1/connect?ticket=${ticket}`, { perMessageDeflate: false });
    const device = new Device(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once('message', (data) =>
        data.toString().startsWith('{"t":"hello"') ? resolve() : reject(new Error(`expected hello, got ${data.toString().slice(0, 200)}`)),
      );
      ws.once('error', reject);
      ws.once('close', (code) => reject(new Error(`closed before hello (${code})`)));
    });
    return device;
  }

  get isOpen(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Resolves with the raw result frame; rejects with the error frame's code. */
  call(method: string, params: unknown, id = `c${++this.calls}`): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiters.set(id, { resolve, reject });
      this.ws.send(JSON.stringify({ t: 'call', id, method, params }));
    });
  }

  async callJson<T>(method: string, params: unknown): Promise<T> {
    return (JSON.parse(await this.call(method, params)) as { result: T }).result;
  }

  /** Replays everything after `fromPts`, page by page; what it cost. */
  async catchUp(fromPts: number, limit = 1000): Promise<{ pages: number; updates: number; bytes: number; pts: number; tooLong: boolean }> {
    let pts = fromPts;
    let pages = 0;
    let updates = 0;
    let bytes = 0;
    for (;;) {
      const raw = await this.call('getDifference', { pts, limit });
      bytes += Buffer.byteLength(raw);
      pages++;
      type Diff = { kind: 'empty' | 'difference' | 'too_long'; state: { pts: number }; updates?: unknown[]; more?: boolean };
      const diff = (JSON.parse(raw) as { result: Diff }).result;
      updates += diff.updates?.length ?? 0;
      pts = diff.state.pts;
      if (diff.kind !== 'difference' || !diff.more) return { pages, updates, bytes, pts, tooLong: diff.kind === 'too_long' };
    }
  }

  /** A large chat's log replayed after `fromPts` with getChannelDifference, page by page; what it cost. */
  async catchUpChannel(chatId: number, fromPts: number, limit = 1000): Promise<{ pages: number; updates: number; bytes: number; pts: number; tooLong: boolean }> {
    let pts = fromPts;
    let pages = 0;
    let updates = 0;
    let bytes = 0;
    for (;;) {
      const raw = await this.call('getChannelDifference', { chat_id: chatId, pts, limit });
      bytes += Buffer.byteLength(raw);
      pages++;
      type Diff = { kind: 'empty' | 'difference' | 'too_long'; pts: number; updates?: unknown[]; more?: boolean };
      const diff = (JSON.parse(raw) as { result: Diff }).result;
      updates += diff.updates?.length ?? 0;
      pts = diff.pts;
      if (diff.kind !== 'difference' || !diff.more) return { pages, updates, bytes, pts, tooLong: diff.kind === 'too_long' };
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close(1000);
      setTimeout(resolve, 2000).unref();
    });
  }

  /** Drops the connection without a close handshake (a network failure, as the server sees it). */
  drop(): void {
    this.ws.terminate();
  }

  private receive(raw: string, at: number): void {
    this.bytesIn += raw.length;
    if (raw.startsWith('{"t":"updates"')) {
      this.pts = Math.max(this.pts, maxPts(raw));
      this.onUpdates?.(raw, at);
      return;
    }
    // A large chat's entries (their pts is the chat's, not the account's).
    if (raw.startsWith('{"t":"channel_updates"')) {
      this.onUpdates?.(raw, at);
      return;
    }
    const isResult = raw.startsWith('{"t":"result","id":"');
    if (!isResult && !raw.startsWith('{"t":"error","id":"')) return; // events, pongs, uncorrelated errors
    const start = raw.indexOf('"id":"') + 6;
    const id = raw.slice(start, raw.indexOf('"', start));
    const waiter = this.waiters.get(id);
    if (!waiter) return;
    this.waiters.delete(id);
    if (isResult) return waiter.resolve(raw);
    const err = (JSON.parse(raw) as { error: { code: string; message: string } }).error;
    waiter.reject(new ApiError(err.code, err.message));
  }
}

function maxPts(raw: string): number {
  let max = 0;
  for (const m of raw.matchAll(/"pts":(\d+)/g)) max = Math.max(max, Number(m[1]));
  return max;
}
