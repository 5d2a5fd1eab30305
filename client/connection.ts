import { EdgegramError, ErrorCode } from '../protocol/errors.js';
import { PROTOCOL_VERSION } from '../protocol/version.js';
import { CloseCode, DownFrame, PING_FRAME, PONG_FRAME } from '../protocol/ws.js';
import { Backoff, type BackoffOptions } from './backoff.js';
import { ClientError } from './errors.js';
import type { Timers, WebSocketConstructor, WebSocketLike } from './platform.js';

export type HelloFrame = Extract<DownFrame, { t: 'hello' }>;
/** Frames the connection hands on; hello and pong are its own business. */
export type PayloadFrame = Exclude<DownFrame, { t: 'hello' | 'pong' }>;

export interface ConnectionOptions {
  WebSocket: WebSocketConstructor;
  /** Mints a fresh single-use ticket and returns the socket URL for it. */
  socketUrl(): Promise<string>;
  timers: Timers;
  now(): number;
  random(): number;
  backoff: BackoffOptions;
  /** How often to send PING_FRAME. */
  pingIntervalMs: number;
  /** A socket that sends nothing this long after a ping is dead; it is dropped. */
  pongTimeoutMs: number;
  /** A socket that does not say hello this long after it is created is dropped. */
  helloTimeoutMs: number;
}

export interface ConnectionHandlers {
  /** A connection attempt begins (minting a ticket, opening a socket). */
  connecting(): void;
  /** The server said hello; `send` writes to this socket. */
  open(hello: HelloFrame, send: (text: string) => void): void;
  frame(frame: PayloadFrame): void;
  /** A socket that had said hello is gone. */
  lost(): void;
  /** The next attempt starts after `delayMs`. */
  reconnecting(attempt: number, delayMs: number): void;
  /** The session is over (close code 4001, or the ticket endpoint says UNAUTHORIZED): no more attempts. */
  terminated(reason: string): void;
  error(error: Error): void;
}

/**
 * One WebSocket at a time: ticket, open, hello, keep-alive, and reconnects
 * with backoff until stopped or terminated. Every incoming frame is parsed
 * with the protocol's DownFrame schema; a frame that does not parse is
 * reported and skipped, never fatal.
 */
export class Connection {
  #running = false;
  /** Bumped by stop/terminate so that a pending attempt finds itself cancelled. */
  #generation = 0;
  #socket: WebSocketLike | undefined;
  #opened = false;
  #retryTimer: unknown;
  #helloTimer: unknown;
  #pingTimer: unknown;
  #pongTimer: unknown;
  #lastFrameAt = 0;
  readonly #backoff: Backoff;

  constructor(
    private readonly options: ConnectionOptions,
    private readonly handlers: ConnectionHandlers,
  ) {
    this.#backoff = new Backoff(options.random, options.backoff);
  }

  get running(): boolean {
    return this.#running;
  }

  /** Connects, and keeps reconnecting until stop() or termination. Idempotent. */
  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#backoff.reset();
    void this.#attempt(++this.#generation);
  }

  stop(): void {
    this.#running = false;
    this.#generation++;
    this.options.timers.clearTimeout(this.#retryTimer);
    this.#discard(1000, 'client disconnect');
  }

  /** Abandons the current socket (dead, or unusable) and reconnects. */
  drop(reason: string): void {
    if (!this.#socket) return;
    this.#discard(4000, reason);
    if (this.#running) this.#scheduleRetry();
  }

  /** The connection proved itself (synced): the next failure starts backoff from the beginning. */
  markHealthy(): void {
    this.#backoff.reset();
  }

  async #attempt(generation: number): Promise<void> {
    this.handlers.connecting();
    let socket: WebSocketLike;
    try {
      const url = await this.options.socketUrl();
      if (generation !== this.#generation) return;
      socket = new this.options.WebSocket(url);
    } catch (error) {
      if (generation !== this.#generation) return;
      if (error instanceof EdgegramError && error.code === ErrorCode.UNAUTHORIZED) {
        this.#terminate('unauthorized');
        return;
      }
      this.handlers.error(asError(error));
      // A rate-limited ticket request says how long to wait; never retry sooner.
      const retryAfter = error instanceof EdgegramError ? (error.extra.retry_after ?? 0) * 1000 : 0;
      this.#scheduleRetry(retryAfter);
      return;
    }
    this.#socket = socket;
    this.#opened = false;
    this.#lastFrameAt = this.options.now();
    // Events from a socket we have moved on from are ignored.
    socket.addEventListener('message', (event: { data: unknown }) => {
      if (this.#socket === socket) this.#onMessage(event.data);
    });
    socket.addEventListener('close', (event: { code: number; reason: string }) => {
      if (this.#socket === socket) this.#onClose(event.code, event.reason);
    });
    // An 'error' event is always followed by 'close', which does the work.
    socket.addEventListener('error', () => {});
    this.#helloTimer = this.options.timers.setTimeout(() => {
      if (this.#socket === socket && !this.#opened) this.drop('no hello');
    }, this.options.helloTimeoutMs);
  }

  #onMessage(data: unknown): void {
    this.#lastFrameAt = this.options.now();
    if (typeof data !== 'string') {
      this.handlers.error(new ClientError('PROTOCOL', 'Unexpected binary frame'));
      return;
    }
    if (data === PONG_FRAME) return;
    let json: unknown;
    try {
      json = JSON.parse(data);
    } catch (cause) {
      this.handlers.error(new ClientError('PROTOCOL', 'Frame is not JSON', { cause }));
      return;
    }
    const parsed = DownFrame.safeParse(json);
    if (!parsed.success) {
      this.handlers.error(new ClientError('PROTOCOL', 'Frame does not match the protocol', { cause: parsed.error }));
      return;
    }
    const frame = parsed.data;
    switch (frame.t) {
      case 'hello':
        this.#onHello(frame);
        return;
      case 'pong':
        return;
      default:
        this.handlers.frame(frame);
    }
  }

  #onHello(hello: HelloFrame): void {
    const socket = this.#socket;
    if (!socket || this.#opened) return;
    this.options.timers.clearTimeout(this.#helloTimer);
    this.#opened = true;
    if (hello.protocol_version !== PROTOCOL_VERSION) {
      this.handlers.error(
        new ClientError('PROTOCOL', `Server speaks protocol ${hello.protocol_version}; this SDK ${PROTOCOL_VERSION}`),
      );
    }
    this.#schedulePing(socket);
    this.handlers.open(hello, (text) => {
      try {
        socket.send(text);
      } catch {
        // The socket is closing; its close event will requeue the call.
      }
    });
  }

  #schedulePing(socket: WebSocketLike): void {
    const { timers, pingIntervalMs, pongTimeoutMs, now } = this.options;
    this.#pingTimer = timers.setTimeout(() => {
      if (this.#socket !== socket) return;
      const sentAt = now();
      try {
        socket.send(PING_FRAME);
      } catch {
        return;
      }
      // Any frame, not just the pong, proves the socket is alive.
      this.#pongTimer = timers.setTimeout(() => {
        if (this.#socket === socket && this.#lastFrameAt < sentAt) this.drop('no pong');
      }, pongTimeoutMs);
      this.#schedulePing(socket);
    }, pingIntervalMs);
  }

  #onClose(code: number, reason: string): void {
    this.#discard();
    if (code === CloseCode.SESSION_TERMINATED) {
      this.#terminate(reason || 'session terminated');
      return;
    }
    if (this.#running) this.#scheduleRetry();
  }

  #scheduleRetry(minDelayMs = 0): void {
    const attempt = this.#backoff.attempt;
    const delay = Math.max(minDelayMs, this.#backoff.next());
    const generation = this.#generation;
    this.handlers.reconnecting(attempt, delay);
    this.options.timers.clearTimeout(this.#retryTimer);
    this.#retryTimer = this.options.timers.setTimeout(() => {
      if (generation === this.#generation) void this.#attempt(generation);
    }, delay);
  }

  #terminate(reason: string): void {
    this.#running = false;
    this.#generation++;
    this.handlers.terminated(reason);
  }

  /** Forgets the current socket (closing it if a code is given) and reports the loss if it had opened. */
  #discard(code?: number, reason?: string): void {
    const socket = this.#socket;
    if (!socket) return;
    const wasOpen = this.#opened;
    this.#socket = undefined;
    this.#opened = false;
    const { timers } = this.options;
    timers.clearTimeout(this.#helloTimer);
    timers.clearTimeout(this.#pingTimer);
    timers.clearTimeout(this.#pongTimer);
    if (code !== undefined) {
      try {
        socket.close(code, reason);
      } catch {
        // Already closed.
      }
    }
    if (wasOpen) this.handlers.lost();
  }
}

function asError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}
