import { signal } from '@preact/signals';
import { ClientError, EdgegramError, ErrorCode, type EdgegramClient } from '../../../client/index.js';
import { randomId } from '../../../client/platform.js';
import type { Entity, Message } from '../../../protocol/messages.js';
import type { Peer } from '../../../protocol/methods.js';
import { describeError } from '../lib/errors.js';

/** Where an outgoing message goes: an existing chat, or a user whose private chat its first message creates. */
export type ChatKey = `chat:${number}` | `user:${number}`;

export interface OutgoingMessage {
  random_id: string;
  key: ChatKey;
  peer: Peer;
  text: string;
  entities: Entity[];
  reply_to_message_id: number | null;
  date: number;
  state: 'pending' | 'failed';
  error?: string;
}

export function keyOfPeer(peer: Peer): ChatKey {
  return 'chat_id' in peer ? `chat:${peer.chat_id}` : `user:${peer.user_id}`;
}

/**
 * Messages typed on this device that the server has not confirmed: the
 * clock-icon bubbles. Each is sent through the SDK's send queue with its own
 * random_id, so every retry (after a reconnect, a lost connection, or the
 * user pressing Retry) returns the one stored message instead of a copy.
 */
export class Outbox {
  readonly items = signal<readonly OutgoingMessage[]>([]);
  #disposed = false;

  constructor(
    private readonly client: EdgegramClient,
    private readonly onSent: (message: Message, item: OutgoingMessage) => void,
  ) {}

  send(peer: Peer, text: string, entities: Entity[], replyTo: number | null): OutgoingMessage {
    const item: OutgoingMessage = {
      random_id: randomId(),
      key: keyOfPeer(peer),
      peer,
      text,
      entities,
      reply_to_message_id: replyTo,
      date: Date.now(),
      state: 'pending',
    };
    this.items.value = [...this.items.peek(), item];
    this.#dispatch(item);
    return item;
  }

  retry(randomId: string): void {
    const item = this.items.peek().find((i) => i.random_id === randomId);
    if (!item || item.state !== 'failed') return;
    const pending: OutgoingMessage = { ...item, state: 'pending' };
    delete pending.error;
    this.#replace(pending);
    this.#dispatch(pending);
  }

  discard(randomId: string): void {
    this.items.value = this.items.peek().filter((i) => i.random_id !== randomId);
  }

  /** The server's copy arrived (as an ack or as a sync event): the local echo goes. */
  settle(randomId: string): OutgoingMessage | undefined {
    const item = this.items.peek().find((i) => i.random_id === randomId);
    if (item) this.discard(randomId);
    return item;
  }

  dispose(): void {
    this.#disposed = true;
  }

  #dispatch(item: OutgoingMessage): void {
    this.client
      .sendMessage(item.peer, item.text, {
        entities: item.entities,
        random_id: item.random_id,
        ...(item.reply_to_message_id !== null && { reply_to_message_id: item.reply_to_message_id }),
      })
      .then(
        (message) => {
          const settled = this.settle(item.random_id);
          if (settled) this.onSent(message, settled);
        },
        (error: unknown) => {
          if (this.#disposed || !this.items.peek().some((i) => i.random_id === item.random_id)) return;
          // The socket was closed under it (the browser went offline): send again with the
          // same random_id; the call waits for the next connection.
          if (error instanceof ClientError && (error.code === 'CLOSED' || error.code === 'DISCONNECTED')) {
            this.#dispatch(item);
            return;
          }
          // A session that ended signs the app out; nothing to show here.
          if (error instanceof EdgegramError && error.code === ErrorCode.UNAUTHORIZED) return;
          this.#replace({ ...item, state: 'failed', error: describeError(error, 'send') });
        },
      );
  }

  #replace(item: OutgoingMessage): void {
    this.items.value = this.items.peek().map((i) => (i.random_id === item.random_id ? item : i));
  }
}
