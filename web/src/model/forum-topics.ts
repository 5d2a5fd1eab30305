import { signal } from '@preact/signals';
import type { EdgegramClient } from '../../../client/index.js';
import type { ForumTopicEntry } from '../../../protocol/topics.js';

const REFRESH_DELAY_MS = 300;

/**
 * One forum's topic list as this account sees it (getForumTopics): names,
 * closed marks, and its own unread count per topic, which only the chat can
 * count (from this account's read position in each topic). Reloaded, a
 * little after the fact and once for a burst, when a topic changes, a
 * message arrives or this account reads in a topic: the list is short and
 * the answer exact, so there is nothing to keep in step by hand.
 */
export class TopicList {
  readonly topics = signal<readonly ForumTopicEntry[]>([]);
  readonly loaded = signal(false);
  readonly error = signal<unknown>(undefined);
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: EdgegramClient,
    readonly chatId: number,
  ) {}

  async load(): Promise<void> {
    try {
      const { topics } = await this.client.api.getForumTopics({ chat_id: this.chatId, limit: 100 });
      this.topics.value = topics;
      this.error.value = undefined;
    } catch (error) {
      this.error.value = error;
    } finally {
      this.loaded.value = true;
    }
  }

  /** Something in the forum changed: reload soon, once. */
  refreshSoon(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.load(), REFRESH_DELAY_MS);
  }

  dispose(): void {
    clearTimeout(this.#timer);
  }
}

/** The topic lists of the forums opened so far, one per chat. */
export class TopicLists {
  readonly #byChat = new Map<number, TopicList>();

  constructor(private readonly client: EdgegramClient) {}

  get(chatId: number): TopicList {
    let list = this.#byChat.get(chatId);
    if (!list) this.#byChat.set(chatId, (list = new TopicList(this.client, chatId)));
    return list;
  }

  /** Only lists already opened refresh: a forum nobody looked at costs nothing. */
  touched(chatId: number): void {
    const list = this.#byChat.get(chatId);
    if (list?.loaded.peek()) list.refreshSoon();
  }

  dispose(): void {
    for (const list of this.#byChat.values()) list.dispose();
  }
}
