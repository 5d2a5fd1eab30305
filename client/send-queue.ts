import { EdgegramError, ErrorCode } from '../protocol/errors.js';
import type { Message } from '../protocol/messages.js';
import type { MethodInput, MethodName, MethodResult, Peer } from '../protocol/methods.js';
import { ClientError } from './errors.js';
import type { CallOptions } from './rpc.js';

export type Call = <M extends MethodName>(
  method: M,
  params: MethodInput<M>,
  options?: CallOptions,
) => Promise<MethodResult<M>>;

export interface SendQueueDeps {
  call: Call;
  sleep(ms: number): Promise<void>;
  randomId(): string;
  /** Attempts a send gets when the server does not answer in time (default 3). */
  maxTimeouts?: number;
}

/** A send the server has not yet confirmed: what a UI shows with a clock icon. */
export interface PendingSend {
  random_id: string;
  peer: Peer;
  text: string;
}

export type SendInput = Omit<MethodInput<'sendMessage'>, 'random_id'> & { random_id?: string };
export type SendMediaInput = Omit<MethodInput<'sendMedia'>, 'random_id'> & { random_id?: string };
type AlbumItem = MethodInput<'sendAlbum'>['items'][number];
export type SendAlbumInput = Omit<MethodInput<'sendAlbum'>, 'items'> & {
  items: (Omit<AlbumItem, 'random_id'> & { random_id?: string })[];
};
export type ForwardInput = Omit<MethodInput<'forwardMessages'>, 'random_ids'> & { random_ids?: string[] };

/**
 * Sends with exactly-once effect. Each send gets a random_id once; every
 * retry — after a reconnect (the RPC layer re-sends calls in flight), a
 * RATE_LIMITED answer or a timeout — repeats the same id, so the server
 * returns the original message instead of storing a second one. Any other
 * server error is final: the promise rejects and the send leaves the queue.
 */
export class SendQueue {
  readonly #pending = new Map<string, PendingSend>();

  constructor(private readonly deps: SendQueueDeps) {}

  get pending(): readonly PendingSend[] {
    return [...this.#pending.values()];
  }

  async send(input: SendInput): Promise<Message> {
    const params = { ...input, random_id: input.random_id ?? this.deps.randomId() };
    this.#pending.set(params.random_id, { random_id: params.random_id, peer: params.peer, text: params.text });
    try {
      const { message } = await this.#withRetry(() => this.deps.call('sendMessage', params));
      return message;
    } finally {
      this.#pending.delete(params.random_id);
    }
  }

  async sendMedia(input: SendMediaInput): Promise<Message> {
    const params = { ...input, random_id: input.random_id ?? this.deps.randomId() };
    this.#pending.set(params.random_id, { random_id: params.random_id, peer: params.peer, text: params.caption ?? '' });
    try {
      const { message } = await this.#withRetry(() => this.deps.call('sendMedia', params));
      return message;
    } finally {
      this.#pending.delete(params.random_id);
    }
  }

  /** An album's items each keep their random_id across retries, so a retry returns the stored album. */
  async sendAlbum(input: SendAlbumInput): Promise<Message[]> {
    const params = { ...input, items: input.items.map((i) => ({ ...i, random_id: i.random_id ?? this.deps.randomId() })) };
    for (const i of params.items) this.#pending.set(i.random_id, { random_id: i.random_id, peer: params.peer, text: i.caption ?? '' });
    try {
      const { messages } = await this.#withRetry(() => this.deps.call('sendAlbum', params));
      return messages;
    } finally {
      for (const i of params.items) this.#pending.delete(i.random_id);
    }
  }

  async forward(input: ForwardInput): Promise<Message[]> {
    const params = { ...input, random_ids: input.random_ids ?? input.ids.map(() => this.deps.randomId()) };
    const { messages } = await this.#withRetry(() => this.deps.call('forwardMessages', params));
    return messages;
  }

  async #withRetry<T>(attempt: () => Promise<T>): Promise<T> {
    const maxTimeouts = this.deps.maxTimeouts ?? 3;
    for (let timeouts = 0; ; ) {
      try {
        return await attempt();
      } catch (error) {
        if (error instanceof EdgegramError && error.code === ErrorCode.RATE_LIMITED) {
          await this.deps.sleep((error.extra.retry_after ?? 1) * 1000);
          continue;
        }
        if (error instanceof ClientError && error.code === 'TIMEOUT' && ++timeouts < maxTimeouts) continue;
        throw error;
      }
    }
  }
}
