import { signal } from '@preact/signals';
import { ClientError, EdgegramError, ErrorCode, type EdgegramClient } from '../../../client/index.js';
import { randomId } from '../../../client/platform.js';
import type { Entity, Message } from '../../../protocol/messages.js';
import type { Peer } from '../../../protocol/methods.js';
import { describeError } from '../lib/errors.js';
import { noteSlowModeWait } from './slow-mode.js';
import { deliverMedia, type MediaSendRequest, type OutgoingMedia } from './media-send.js';

/** Where an outgoing message goes: an existing chat, or a user whose private chat its first message creates. */
export type ChatKey = `chat:${number}` | `user:${number}`;

export interface OutgoingMessage {
  random_id: string;
  key: ChatKey;
  peer: Peer;
  text: string;
  entities: Entity[];
  reply_to_message_id: number | null;
  /** Forums: the topic it goes to (null: General, or the replied message's). */
  topic_id: number | null;
  date: number;
  state: 'pending' | 'failed';
  error?: string;
  /** Files on their way (one media message, or an album); `text` is then the caption. */
  media?: OutgoingMedia;
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
  /** Per media send: its abort switch and the uploads already finished (kept across retries). */
  readonly #transfers = new Map<string, { abort: AbortController; done: Parameters<typeof deliverMedia>[2] }>();

  constructor(
    private readonly client: EdgegramClient,
    private readonly onSent: (message: Message, item: OutgoingMessage) => void,
  ) {}

  send(peer: Peer, text: string, entities: Entity[], replyTo: number | null, topicId: number | null = null): OutgoingMessage {
    const item: OutgoingMessage = {
      random_id: randomId(),
      key: keyOfPeer(peer),
      peer,
      text,
      entities,
      reply_to_message_id: replyTo,
      topic_id: topicId,
      date: Date.now(),
      state: 'pending',
    };
    this.items.value = [...this.items.peek(), item];
    this.#dispatch(item);
    return item;
  }

  /** Uploads files and sends them, shown meanwhile as a bubble with a progress bar and a cancel button. */
  sendMedia(request: MediaSendRequest): OutgoingMessage {
    const item: OutgoingMessage = {
      random_id: request.files[0]!.random_id,
      key: keyOfPeer(request.peer),
      peer: request.peer,
      text: request.caption,
      entities: request.entities,
      reply_to_message_id: request.replyTo,
      topic_id: request.topicId ?? null,
      date: Date.now(),
      state: 'pending',
      media: { files: request.files, progress: 0 },
    };
    this.items.value = [...this.items.peek(), item];
    this.#transfers.set(item.random_id, { abort: new AbortController(), done: new Map() });
    this.#dispatch(item);
    return item;
  }

  /** Stops a media send: the uploads are abandoned (the server deletes them) and the bubble goes. */
  cancel(randomId: string): void {
    this.#transfers.get(randomId)?.abort.abort();
    this.discard(randomId);
  }

  retry(randomId: string): void {
    const item = this.items.peek().find((i) => i.random_id === randomId);
    if (!item || item.state !== 'failed') return;
    const pending: OutgoingMessage = { ...item, state: 'pending' };
    delete pending.error;
    this.#replace(pending);
    this.#dispatch(pending);
  }

  /** Drops a send from the list (sent, cancelled, or a failed one the user deleted), with what it kept. */
  discard(randomId: string): void {
    this.items.value = this.items.peek().filter((i) => i.random_id !== randomId);
    this.#transfers.delete(randomId);
  }

  /** The server's copy arrived (as an ack or as a sync event): the local echo goes (an album's, with any of its items). */
  settle(randomId: string): OutgoingMessage | undefined {
    const item = this.items.peek().find((i) => i.random_id === randomId || i.media?.files.some((f) => f.random_id === randomId));
    if (item) this.discard(item.random_id);
    return item;
  }

  dispose(): void {
    this.#disposed = true;
    for (const transfer of this.#transfers.values()) transfer.abort.abort();
  }

  #send(item: OutgoingMessage): Promise<Message[]> {
    if (!item.media) {
      return this.client
        .sendMessage(item.peer, item.text, {
          entities: item.entities,
          random_id: item.random_id,
          ...(item.reply_to_message_id !== null && { reply_to_message_id: item.reply_to_message_id }),
          ...(item.topic_id !== null && { message_thread_id: item.topic_id }),
        })
        .then((message) => [message]);
    }
    const transfer = this.#transfers.get(item.random_id)!;
    const request = {
      peer: item.peer,
      files: item.media.files,
      caption: item.text,
      entities: item.entities,
      replyTo: item.reply_to_message_id,
      topicId: item.topic_id,
    };
    return deliverMedia(this.client, request, transfer.done, (progress) => this.#progress(item.random_id, progress), transfer.abort.signal);
  }

  #progress(randomId: string, progress: number): void {
    const item = this.items.peek().find((i) => i.random_id === randomId);
    if (item?.media && item.media.progress !== progress) this.#replace({ ...item, media: { ...item.media, progress } });
  }

  #dispatch(item: OutgoingMessage): void {
    this.#send(item).then(
      (messages) => {
        const settled = this.settle(item.random_id);
        if (settled) for (const message of messages) this.onSent(message, settled);
      },
      (error: unknown) => {
        if (this.#disposed || !this.items.peek().some((i) => i.random_id === item.random_id)) return;
        if (error instanceof ClientError && error.code === 'ABORTED') return;
        // The socket was closed under it (the browser went offline): send again with the
        // same random_id; the call waits for the next connection.
        if (error instanceof ClientError && (error.code === 'CLOSED' || error.code === 'DISCONNECTED')) {
          this.#dispatch(item);
          return;
        }
        // A session that ended signs the app out; nothing to show here.
        if (error instanceof EdgegramError && error.code === ErrorCode.UNAUTHORIZED) return;
        // Slow mode (this device's earlier send, or another device's): the composer counts down.
        if (error instanceof EdgegramError && error.code === ErrorCode.SLOW_MODE_WAIT) noteSlowModeWait(item.key, error.extra.retry_after ?? 1);
        const current = this.items.peek().find((i) => i.random_id === item.random_id) ?? item;
        this.#replace({ ...current, state: 'failed', error: describeError(error, 'send') });
      },
    );
  }

  #replace(item: OutgoingMessage): void {
    this.items.value = this.items.peek().map((i) => (i.random_id === item.random_id ? item : i));
  }
}
