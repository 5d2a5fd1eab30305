import type { EdgegramClient } from '../../../client/index.js';
import type { Histories } from './history.js';

const FLUSH_DELAY_MS = 300;
/** getMessagesViews takes at most this many ids per call. */
const MAX_IDS_PER_CALL = 100;

/**
 * Counts channel posts as seen, the way Telegram's clients do: the view
 * reports each post it shows; shortly after, one getMessagesViews call per
 * channel counts this account as a viewer (the server counts a reader once
 * per post) and brings back the current counts for the history to show.
 * A post is reported once per session; a failed call forgets its posts so
 * they are reported again when next shown.
 */
export class PostViews {
  readonly #pending = new Map<number, Set<number>>();
  readonly #reported = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: EdgegramClient,
    private readonly histories: Histories,
  ) {}

  shown(chatId: number, messageId: number): void {
    const key = `${chatId}:${messageId}`;
    if (this.#reported.has(key)) return;
    this.#reported.add(key);
    let ids = this.#pending.get(chatId);
    if (!ids) this.#pending.set(chatId, (ids = new Set()));
    ids.add(messageId);
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(), FLUSH_DELAY_MS);
  }

  /**
   * The chat was opened again: its posts are reported anew as they show,
   * so their counts (views, comments) are fresh. The server still counts
   * each reader once per post.
   */
  refresh(chatId: number): void {
    for (const key of [...this.#reported]) if (key.startsWith(`${chatId}:`)) this.#reported.delete(key);
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }

  #flush(): void {
    for (const [chatId, idSet] of this.#pending) {
      const ids = [...idSet];
      for (let i = 0; i < ids.length; i += MAX_IDS_PER_CALL) {
        const chunk = ids.slice(i, i + MAX_IDS_PER_CALL);
        this.client.api.getMessagesViews({ chat_id: chatId, ids: chunk, increment: true }).then(
          ({ views }) => this.histories.forChat(chatId).forEach((h) => h.setViews(views)),
          () => chunk.forEach((id) => this.#reported.delete(`${chatId}:${id}`)),
        );
      }
    }
    this.#pending.clear();
  }
}
