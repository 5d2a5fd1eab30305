import type { EdgegramClient } from '../../../client/index.js';
import type { Dialogs } from './dialogs.js';

const FLUSH_DELAY_MS = 200;

/**
 * Marks messages read as they scroll into view: the view reports each
 * incoming message it shows; the highest id per chat goes to the server in
 * one readHistory call shortly after, and the server's unread count comes
 * back into the dialog list.
 */
export class ReadReceipts {
  readonly #highest = new Map<number, number>();
  /** Forums: the highest seen per topic ("chat:topic") not sent yet, which moves that topic's read position only. */
  readonly #inTopics = new Map<string, { chatId: number; topicId: number; maxId: number }>();
  /** And the highest already sent, so scrolling back over read messages sends nothing. */
  readonly #sentInTopics = new Map<string, number>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: EdgegramClient,
    private readonly dialogs: Dialogs,
    /** A topic was read: its list's unread counts changed. */
    private readonly onTopicRead: (chatId: number) => void = () => {},
  ) {}

  /** A message seen in a forum topic; the read pointer that moves is the topic's. */
  seenInTopic(chatId: number, topicId: number, messageId: number): void {
    const dialog = this.dialogs.get(chatId);
    if (!dialog || !dialog.is_member || messageId <= dialog.read_inbox_max_id) return;
    const key = `${chatId}:${topicId}`;
    if (messageId <= Math.max(this.#inTopics.get(key)?.maxId ?? 0, this.#sentInTopics.get(key) ?? 0)) return;
    this.#inTopics.set(key, { chatId, topicId, maxId: messageId });
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), FLUSH_DELAY_MS);
  }

  seen(chatId: number, messageId: number): void {
    const dialog = this.dialogs.get(chatId);
    if (!dialog || !dialog.is_member || messageId <= dialog.read_inbox_max_id) return;
    if (messageId <= (this.#highest.get(chatId) ?? 0)) return;
    this.#highest.set(chatId, messageId);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), FLUSH_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  #flush(): void {
    for (const [chatId, maxId] of this.#highest) {
      this.client.api.readHistory({ chat_id: chatId, max_id: maxId }).then(
        ({ still_unread_count: stillUnread }) => this.dialogs.applyOwnRead(chatId, maxId, stillUnread),
        () => {}, // read state is re-sent when the message is seen again
      );
    }
    this.#highest.clear();
    for (const [key, { chatId, topicId, maxId }] of this.#inTopics) {
      this.#sentInTopics.set(key, maxId);
      this.client.api.readHistory({ chat_id: chatId, max_id: maxId, message_thread_id: topicId }).then(
        () => this.onTopicRead(chatId),
        () => this.#sentInTopics.delete(key), // sent again when the message is seen again
      );
    }
    this.#inTopics.clear();
  }
}
