import { computed, signal } from '@preact/signals';
import type { ChatUpdate, DeleteMessagesUpdate, EdgegramClient, ReadUpdate } from '../../../client/index.js';
import type { Chat, Dialog, Message } from '../../../protocol/messages.js';
import { peerOf } from '../lib/people.js';
import type { Users } from './users.js';

const PAGE = 50;

/**
 * The chat list: the server's dialogs, kept current by the SDK's events.
 * Until the first page is loaded events are ignored: the page comes from the
 * same mailbox, over the same socket, so it already contains them. Every
 * change is idempotent (a replayed message does not count twice as unread).
 */
export class Dialogs {
  readonly byId = signal<ReadonlyMap<number, Dialog>>(new Map());
  readonly loaded = signal(false);
  readonly hasMore = signal(false);
  readonly loadingMore = signal(false);
  readonly error = signal<unknown>(undefined);
  /** Newest activity first. */
  readonly ordered = computed(() =>
    [...this.byId.value.values()].sort((a, b) => b.last_activity - a.last_activity || b.chat.id - a.chat.id),
  );
  #refreshTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly client: EdgegramClient,
    private readonly users: Users,
    private readonly me: number,
  ) {}

  get(chatId: number): Dialog | undefined {
    return this.byId.value.get(chatId);
  }

  /** The private chat with `userId`, if one exists. */
  privateChatWith(userId: number): Dialog | undefined {
    for (const dialog of this.byId.value.values()) {
      if (dialog.chat.kind === 'private' && peerOf(dialog.chat, this.me) === userId) return dialog;
    }
    return undefined;
  }

  /** Loads (or reloads) the first page, replacing what was there. */
  async load(): Promise<void> {
    try {
      const { dialogs, users } = await this.client.api.getDialogs({ limit: PAGE });
      this.users.add(users);
      this.byId.value = new Map(dialogs.map((d) => [d.chat.id, d]));
      this.hasMore.value = dialogs.length === PAGE;
      this.loaded.value = true;
      this.error.value = undefined;
      this.#fetchPeerStatuses(dialogs);
    } catch (error) {
      this.error.value = error;
    }
  }

  async loadMore(): Promise<void> {
    const last = this.ordered.peek().at(-1);
    if (!last || !this.hasMore.peek() || this.loadingMore.peek()) return;
    this.loadingMore.value = true;
    try {
      const { dialogs, users } = await this.client.api.getDialogs({
        limit: PAGE,
        offset_date: last.last_activity,
        offset_chat_id: last.chat.id,
      });
      this.users.add(users);
      this.#merge(dialogs);
      this.hasMore.value = dialogs.length === PAGE;
      this.#fetchPeerStatuses(dialogs);
    } catch {
      // The list shows what it has; scrolling again retries.
    } finally {
      this.loadingMore.value = false;
    }
  }

  /** Re-reads the first page soon (a new chat appeared, or messages were deleted). */
  scheduleRefresh(): void {
    clearTimeout(this.#refreshTimer);
    this.#refreshTimer = setTimeout(() => void this.#refresh(), 150);
  }

  async #refresh(): Promise<void> {
    try {
      const { dialogs, users } = await this.client.api.getDialogs({ limit: PAGE });
      this.users.add(users);
      this.#merge(dialogs);
      this.#fetchPeerStatuses(dialogs.filter((d) => !this.users.statuses.peek().has(peerOf(d.chat, this.me) ?? 0)));
    } catch {
      // The next event or reconnect refreshes again.
    }
  }

  onMessage(message: Message): void {
    if (!this.loaded.peek()) return;
    const dialog = this.get(message.chat_id);
    if (!dialog) {
      this.scheduleRefresh();
      return;
    }
    const top = dialog.top_message;
    if (top && message.id < top.id) return;
    if (top && message.id === top.id) {
      this.#put({ ...dialog, top_message: message });
      return;
    }
    // A channel post names no sender: this device's own copy is told by its random_id.
    const own = message.sender_id === this.me || message.random_id !== undefined;
    const unread = !own && message.id > dialog.read_inbox_max_id;
    this.#put({
      ...dialog,
      // Writing in a request answers it (the server's mailbox does the same).
      is_request: dialog.is_request && !(own && dialog.chat.kind === 'private'),
      top_message: message,
      last_activity: Math.max(dialog.last_activity, message.date),
      unread_count: dialog.unread_count + (unread ? 1 : 0),
    });
  }

  onEdit(message: Message): void {
    const dialog = this.get(message.chat_id);
    if (dialog?.top_message?.id === message.id) this.#put({ ...dialog, top_message: message });
  }

  onDelete(update: DeleteMessagesUpdate): void {
    const dialog = this.get(update.chat_id);
    if (!dialog) return;
    // The new top message and unread count are the server's to say.
    this.scheduleRefresh();
  }

  onRead(update: ReadUpdate): void {
    const dialog = this.get(update.chat_id);
    if (!dialog) return;
    if (update.type === 'read_history_inbox') {
      if (update.max_id < dialog.read_inbox_max_id) return;
      this.#put({ ...dialog, read_inbox_max_id: update.max_id, unread_count: update.still_unread_count });
    } else if (update.max_id > dialog.read_outbox_max_id) {
      this.#put({ ...dialog, read_outbox_max_id: update.max_id });
    }
  }

  /** Our own readHistory answered: the server's count is the truth. */
  applyOwnRead(chatId: number, maxId: number, stillUnread: number): void {
    this.onRead({ type: 'read_history_inbox', chat_id: chatId, max_id: maxId, still_unread_count: stillUnread });
  }

  onChat(update: ChatUpdate): void {
    if (!this.loaded.peek()) return;
    const chatId = chatIdOf(update);
    const dialog = this.get(chatId);
    if (!dialog) {
      this.scheduleRefresh();
      return;
    }
    if (update.type === 'chat') {
      this.#put({ ...dialog, chat: update.chat });
      this.users.ensure(update.chat.member_ids);
    } else if (update.member.user_id === this.me) {
      this.#put({ ...dialog, is_member: !update.left });
    }
  }

  /** A `message_request` event, or this device's own accept: the chat moves between the requests and the main list. */
  setRequest(chatId: number, isRequest: boolean): void {
    const dialog = this.get(chatId);
    if (!dialog) {
      if (isRequest) this.scheduleRefresh();
      return;
    }
    if (dialog.is_request !== isRequest) this.#put({ ...dialog, is_request: isRequest });
  }

  /** A send from this device moves its chat to the top at once. */
  touch(chatId: number, at: number): void {
    const dialog = this.get(chatId);
    if (dialog && at > dialog.last_activity) this.#put({ ...dialog, last_activity: at });
  }

  /** A chat this device just created (or learned of from a send) before the server's page says so. */
  addChat(chat: Chat): void {
    if (this.get(chat.id)) return;
    this.#put({
      chat,
      top_message: null,
      unread_count: 0,
      read_inbox_max_id: 0,
      read_outbox_max_id: 0,
      last_activity: chat.created_at,
      is_member: true,
      unread_mentions_count: 0,
      is_request: false,
    });
    this.scheduleRefresh();
  }

  /** Removes a dialog locally (the user left and chose to hide it). */
  forget(chatId: number): void {
    const next = new Map(this.byId.peek());
    next.delete(chatId);
    this.byId.value = next;
  }

  dispose(): void {
    clearTimeout(this.#refreshTimer);
  }

  #put(dialog: Dialog): void {
    const next = new Map(this.byId.peek());
    next.set(dialog.chat.id, dialog);
    this.byId.value = next;
  }

  #merge(dialogs: readonly Dialog[]): void {
    const next = new Map(this.byId.peek());
    for (const d of dialogs) next.set(d.chat.id, d);
    this.byId.value = next;
  }

  #fetchPeerStatuses(dialogs: readonly Dialog[]): void {
    const peers = new Set<number>();
    for (const d of dialogs) {
      const peer = peerOf(d.chat, this.me);
      if (peer !== undefined && peer !== this.me) peers.add(peer);
    }
    if (peers.size > 0) void this.users.fetch(peers);
  }
}

/** The chat a `chat` or `chat_member` update is about. */
export function chatIdOf(update: ChatUpdate): number {
  return update.type === 'chat' ? update.chat.id : update.chat_id;
}
