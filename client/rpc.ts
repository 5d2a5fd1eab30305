import { EdgegramError, type ErrorBody } from '../protocol/errors.js';
import { methods, type MethodInput, type MethodName, type MethodResult } from '../protocol/methods.js';
import type { UpFrame } from '../protocol/ws.js';
import { ClientError } from './errors.js';
import type { Timers } from './platform.js';

export interface CallOptions {
  /**
   * Whether a call in flight when the socket drops is sent again after the
   * reconnect (default true). Reads are safe to repeat; sends carry a
   * random_id so the server returns the original; edit, delete, read and
   * group operations converge to the same state when repeated (a repeat may
   * answer an error such as CONFLICT instead of the first result). The
   * default is false for the methods in NOT_RESENT, and sync calls opt out
   * (the sync engine restarts them itself).
   */
  resend?: boolean;
  /** Per attempt, counted from when the frame is sent. Default: the client's call timeout. */
  timeoutMs?: number;
}

/**
 * Methods not re-sent after a reconnect unless a call asks for it: a repeat
 * would do it again instead of converging (a second invite link, a second
 * button press), and a typing notice is stale by the time the socket is back.
 */
export const NOT_RESENT: ReadonlySet<MethodName> = new Set<MethodName>(['createChatInviteLink', 'pressCallbackButton', 'setTyping']);

interface PendingCall {
  readonly method: MethodName;
  readonly text: string;
  readonly resend: boolean;
  readonly timeoutMs: number;
  sent: boolean;
  timer?: unknown;
  resolve(raw: unknown): void;
  reject(error: Error): void;
}

type CallFrame = Extract<UpFrame, { t: 'call' }>;

/**
 * Call ids, the pending map and timeouts. Calls made while no socket is open
 * wait in the map (in issue order) and go out when `open` is called; they
 * do not time out while waiting.
 */
export class Rpc {
  readonly #pending = new Map<string, PendingCall>();
  #nextId = 1;
  #send: ((text: string) => void) | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly defaultTimeoutMs: number,
  ) {}

  /** Calls in flight or waiting for a socket. */
  get size(): number {
    return this.#pending.size;
  }

  call<M extends MethodName>(method: M, params: MethodInput<M>, options: CallOptions = {}): Promise<MethodResult<M>> {
    return new Promise<MethodResult<M>>((resolve, reject) => {
      const id = String(this.#nextId++);
      const frame = { t: 'call', id, method, params } satisfies CallFrame;
      const pending: PendingCall = {
        method,
        text: JSON.stringify(frame),
        resend: options.resend ?? !NOT_RESENT.has(method),
        timeoutMs: options.timeoutMs ?? this.defaultTimeoutMs,
        sent: false,
        resolve: (raw) => {
          const parsed = methods[method].result.safeParse(raw);
          if (parsed.success) resolve(parsed.data as MethodResult<M>);
          else reject(new ClientError('PROTOCOL', `Malformed result for ${method}`, { cause: parsed.error }));
        },
        reject,
      };
      this.#pending.set(id, pending);
      if (this.#send) this.#transmit(id, pending);
    });
  }

  /** A socket is ready: send everything waiting, oldest first. */
  open(send: (text: string) => void): void {
    this.#send = send;
    for (const [id, pending] of this.#pending) if (!pending.sent) this.#transmit(id, pending);
  }

  /** The socket dropped: calls in flight wait for the next socket, or fail if they must not be repeated. */
  close(): void {
    this.#send = undefined;
    for (const [id, pending] of this.#pending) {
      if (!pending.sent) continue;
      this.timers.clearTimeout(pending.timer);
      pending.sent = false;
      if (!pending.resend) {
        this.#pending.delete(id);
        pending.reject(new ClientError('DISCONNECTED', `Connection lost during ${pending.method}`));
      }
    }
  }

  /** Fails every call, in flight or waiting. */
  cancelAll(error: Error): void {
    const all = [...this.#pending.values()];
    this.#pending.clear();
    for (const pending of all) {
      this.timers.clearTimeout(pending.timer);
      pending.reject(error);
    }
  }

  /** Returns false when no call has this id (e.g. it already timed out). */
  settle(id: string, outcome: { result: unknown } | { error: ErrorBody }): boolean {
    const pending = this.#pending.get(id);
    if (!pending) return false;
    this.#pending.delete(id);
    this.timers.clearTimeout(pending.timer);
    if ('error' in outcome) pending.reject(EdgegramError.fromBody(outcome.error));
    else pending.resolve(outcome.result);
    return true;
  }

  #transmit(id: string, pending: PendingCall): void {
    pending.sent = true;
    pending.timer = this.timers.setTimeout(() => {
      if (this.#pending.get(id) !== pending) return;
      this.#pending.delete(id);
      pending.reject(new ClientError('TIMEOUT', `${pending.method} got no answer in ${pending.timeoutMs} ms`));
    }, pending.timeoutMs);
    this.#send?.(pending.text);
  }
}
