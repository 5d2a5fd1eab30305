import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ErrorBody } from '../../../protocol/errors.js';
import type { Message } from '../../../protocol/messages.js';
import type { MethodName, MethodParams } from '../../../protocol/methods.js';
import type { UpdateEnvelope } from '../../../protocol/updates.js';
import { PING_FRAME, PONG_FRAME, type DownFrame } from '../../../protocol/ws.js';
import { PROTOCOL_VERSION } from '../../../protocol/version.js';

/** Returned by a handler that answers nothing (e.g. it dropped the socket). */
export const NO_REPLY = Symbol('no reply');

export interface CallContext {
  socket: WebSocket;
  server: FakeServer;
}
export type Handler = (params: any, ctx: CallContext) => unknown;

export interface ReceivedCall {
  method: string;
  params: any;
  /** Which socket (0-based, in connection order) carried the call. */
  socket: number;
}

export const TOKEN = 'test-token';
export const USER = { id: 1, username: 'alice_1', display_name: 'Alice', is_bot: false };

/**
 * A small stand-in for the Edgegram server: the ticket endpoint, the socket
 * (hello, calls, pings, pushes) and a mailbox-like update log that answers
 * getState and getDifference. Tests override methods with `handle`.
 */
export class FakeServer {
  readonly calls: ReceivedCall[] = [];
  readonly sockets: WebSocket[] = [];
  readonly log: UpdateEnvelope[] = [];
  tickets = 0;
  /** When set, the ticket endpoint answers this status and error instead. */
  ticketFailure: { status: number; error: ErrorBody } | undefined;
  /** When false, pings go unanswered (a half-dead connection). */
  answerPings = true;
  /** Largest getDifference page. */
  differencePage = 1000;
  #nextTicket = 1;
  readonly #validTickets = new Set<string>();
  readonly #handlers = new Map<string, Handler>();
  readonly #sent = new Map<string, Message>();
  #http!: Server;
  #wss!: WebSocketServer;
  url = '';

  static async start(): Promise<FakeServer> {
    const server = new FakeServer();
    await server.#listen();
    return server;
  }

  get pts(): number {
    return this.log.at(-1)?.pts ?? 0;
  }

  get open(): WebSocket[] {
    return this.sockets.filter((s) => s.readyState === s.OPEN);
  }

  handle(method: MethodName, handler: Handler): void {
    this.#handlers.set(method, handler);
  }

  callsOf(method: MethodName): ReceivedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Appends updates to the log (each one pts) and returns them, without pushing. */
  record(...updates: UpdateEnvelope['update'][]): UpdateEnvelope[] {
    return updates.map((update) => {
      const envelope = { pts: this.pts + 1, pts_count: 1, date: 1_700_000_000_000, update };
      this.log.push(envelope);
      return envelope;
    });
  }

  push(envelopes: UpdateEnvelope[]): void {
    for (const socket of this.open) this.send(socket, { t: 'updates', updates: envelopes });
  }

  send(socket: WebSocket, frame: DownFrame): void {
    socket.send(JSON.stringify(frame));
  }

  sendRaw(text: string): void {
    for (const socket of this.open) socket.send(text);
  }

  closeAll(code: number, reason = ''): void {
    for (const socket of this.open) socket.close(code, reason);
  }

  /** Kills every socket without a closing handshake, as a network drop would. */
  dropAll(): void {
    for (const socket of this.open) socket.terminate();
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.terminate();
    this.#wss.close();
    await new Promise((resolve) => this.#http.close(resolve));
  }

  /** The default sendMessage: idempotent by random_id, like the real one. */
  sendMessage(params: MethodParams<'sendMessage'>): Message {
    const existing = this.#sent.get(params.random_id);
    if (existing) return existing;
    const chat_id = 'chat_id' in params.peer ? params.peer.chat_id : params.peer.user_id;
    const message: Message = {
      chat_id,
      id: this.#sent.size + 1,
      sender_id: USER.id,
      date: 1_700_000_000_000,
      text: params.text,
      entities: params.entities ?? [],
      reply_to_message_id: params.reply_to_message_id ?? null,
      fwd_from: null,
      media: null,
      edit_date: null,
      random_id: params.random_id,
    };
    this.#sent.set(params.random_id, message);
    this.push(this.record({ type: 'new_message', message }));
    return message;
  }

  get storedMessages(): number {
    return this.#sent.size;
  }

  #defaultHandler(method: string, params: any): unknown {
    const state = { pts: this.pts, date: 1_700_000_000_000 };
    switch (method) {
      case 'getState':
        return state;
      case 'getDifference': {
        if (params.pts === this.pts) return { kind: 'empty', state };
        const updates = this.log.filter((e) => e.pts > params.pts).slice(0, this.differencePage);
        const last = updates.at(-1)!;
        const more = last.pts < this.pts;
        return { kind: 'difference', updates, more, state: more ? { pts: last.pts, date: last.date } : state };
      }
      case 'sendMessage':
        return { message: this.sendMessage(params) };
      default:
        return { ok: true };
    }
  }

  async #onCall(socket: WebSocket, index: number, id: string, method: string, params: unknown): Promise<void> {
    this.calls.push({ method, params, socket: index });
    const handler = this.#handlers.get(method);
    const ctx = { socket, server: this };
    try {
      const result = handler ? await handler(params, ctx) : this.#defaultHandler(method, params);
      if (result === NO_REPLY || socket.readyState !== socket.OPEN) return;
      this.send(socket, { t: 'result', id, result });
    } catch (error) {
      const body = (error as { body?: ErrorBody }).body ?? { code: 'INTERNAL', message: String(error) };
      if (socket.readyState === socket.OPEN) this.send(socket, { t: 'error', id, error: body });
    }
  }

  async #listen(): Promise<void> {
    this.#http = createServer((req, res) => this.#onRequest(req, res));
    this.#wss = new WebSocketServer({ noServer: true });
    this.#http.on('upgrade', (req, socket, head) => {
      const ticket = new URL(req.url ?? '', 'http://x').searchParams.get('ticket') ?? '';
      if (!this.#validTickets.delete(ticket)) {
        socket.end('HTTP/1.1 401 Unauthorized\r\n\r\n');
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onSocket(ws));
    });
    await new Promise<void>((resolve) => this.#http.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.#http.address() as AddressInfo).port}`;
  }

  #onSocket(ws: WebSocket): void {
    const index = this.sockets.push(ws) - 1;
    this.send(ws, { t: 'hello', protocol_version: PROTOCOL_VERSION, user_id: USER.id, session_id: 's1', device_id: 'd1' });
    ws.on('message', (data) => {
      const text = String(data);
      if (text === PING_FRAME) return this.answerPings ? ws.send(PONG_FRAME) : undefined;
      const frame = JSON.parse(text) as { t: string; id: string; method: string; params: unknown };
      if (frame.t === 'call') void this.#onCall(ws, index, frame.id, frame.method, frame.params);
    });
  }

  #onRequest(req: IncomingMessage, res: ServerResponse): void {
    const json = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.headers.authorization !== `Bearer ${TOKEN}`) {
      return json(401, { error: { code: 'UNAUTHORIZED', message: 'Not signed in' } });
    }
    if (req.method === 'POST' && req.url === '/v1/connect/ticket') {
      this.tickets++;
      if (this.ticketFailure) return json(this.ticketFailure.status, { error: this.ticketFailure.error });
      const ticket = `t${this.#nextTicket++}`;
      this.#validTickets.add(ticket);
      return json(200, { ticket, expires_at: Date.now() + 30_000, url: `/v1/connect?ticket=${ticket}` });
    }
    if (req.method === 'GET' && req.url === '/v1/auth/me') return json(200, { user: USER });
    json(404, { error: { code: 'NOT_FOUND', message: 'No such route' } });
  }
}

/** An error a handler can throw to answer with an error frame. */
export function serverError(body: ErrorBody): Error {
  return Object.assign(new Error(body.message), { body });
}
