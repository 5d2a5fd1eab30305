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
  #timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: EdgegramClient,
    private readonly dialogs: Dialogs,
  ) {}

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
  }
}
