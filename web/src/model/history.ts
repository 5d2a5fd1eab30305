import { signal } from '@preact/signals';
import type { EdgegramClient } from '../../../client/index.js';
import type { Message } from '../../../protocol/messages.js';
import { GENERAL_TOPIC_ID } from '../../../protocol/topics.js';
import type { MessageReactions, Reaction, ReactionCount } from '../../../protocol/reactions.js';

export const HISTORY_PAGE = 40;
/** How long a message the user jumped to stays highlighted. */
const HIGHLIGHT_MS = 1_500;

/**
 * A window of one chat's history: a contiguous run of messages, grown at
 * either end by getHistory(before/after) as the user scrolls, or replaced by
 * a jump (to the latest, to a replied-to message, to the first unread).
 *
 * Events that arrive while a page is in flight are queued and applied after
 * it lands: the page is read from the chat, which may be ahead of or behind
 * this account's event stream, so both orders must end in the same state.
 */
export class ChatHistory {
  readonly messages = signal<readonly Message[]>([]);
  /** False once a page before the first message came back short. */
  readonly hasOlder = signal(true);
  /** True when the window reaches the chat's newest message, so new messages append. */
  readonly atLatest = signal(false);
  readonly loading = signal<'window' | 'older' | 'newer' | null>(null);
  readonly error = signal<unknown>(undefined);
  /** Bumped when the window is replaced, so the view knows to reposition instead of anchoring. */
  readonly generation = signal(0);
  /** Where the view should scroll after the window was replaced: a message id, or the bottom. */
  focus: { id: number } | 'bottom' = 'bottom';
  #inflight = 0;
  #queued: Array<() => void> = [];
  readonly #deleted = new Set<number>();
  #opened = false;
  /** Messages outside the window that something refers to (replies): id → message, or null if gone. */
  readonly referenced = signal<ReadonlyMap<number, Message | null>>(new Map());
  readonly #lookingUp = new Set<number>();
  /** A message to flash once shown: a search result or a quoted message the user jumped to. */
  readonly highlighted = signal<number | null>(null);

  /**
   * `threadId`: a thread's window instead of the chat's — its replies (see
   * Message.thread_id), headed by the root once scrolled back to the start.
   */
  constructor(
    private readonly client: EdgegramClient,
    readonly chatId: number,
    readonly threadId: number | null = null,
    /** A forum topic's window instead (Message.message_thread_id; 1 is General). */
    readonly topicId: number | null = null,
    /**
     * A channel post's comments: the thread is read through the channel
     * (getDiscussionReplies), so a subscriber who is not in the discussion
     * group reads it too.
     */
    readonly discussion: { channelId: number; postId: number } | null = null,
  ) {}

  /** A page of this window's messages: the chat's, a topic's, or the thread's with its root once the start is reached. */
  async #page(params: { offset_id?: number; direction?: 'before' | 'after'; limit: number }): Promise<Message[]> {
    if (this.topicId !== null) return (await this.client.api.getHistory({ chat_id: this.chatId, ...params, message_thread_id: this.topicId })).messages;
    if (this.threadId === null) return (await this.client.api.getHistory({ chat_id: this.chatId, ...params })).messages;
    const page = this.discussion
      ? (await this.client.api.getDiscussionReplies({ channel_id: this.discussion.channelId, post_id: this.discussion.postId, ...params })).messages
      : (await this.client.api.getHistory({ chat_id: this.chatId, ...params, thread_id: this.threadId })).messages;
    const reachedStart = (params.direction ?? 'before') === 'before' && page.length < params.limit;
    if (!reachedStart) return page;
    const root = this.discussion
      ? [(await this.client.api.getDiscussionMessage({ channel_id: this.discussion.channelId, post_id: this.discussion.postId })).message]
      : (await this.client.api.getMessages({ chat_id: this.chatId, ids: [this.threadId] })).messages;
    return [...root, ...page];
  }

  /** Whether the message belongs in this window. */
  #belongs(message: Message): boolean {
    // A forum message without a topic was sent before the chat had topics: it is General's.
    if (this.topicId !== null) return (message.message_thread_id ?? GENERAL_TOPIC_ID) === this.topicId;
    return this.threadId === null || message.thread_id === this.threadId || message.id === this.threadId;
  }

  /** A topic was deleted with its messages: they leave this window (the server lists no ids for them). */
  onTopicDeleted(topicId: number): void {
    this.#whenIdle(() => {
      const list = this.messages.peek();
      const kept = list.filter((m) => m.message_thread_id !== topicId);
      if (kept.length !== list.length) this.messages.value = kept;
    });
  }

  get opened(): boolean {
    return this.#opened;
  }

  /**
   * First open: the newest page, scrolled to the first unread message if it
   * is on it; when more is unread than a page holds, the page that starts
   * at the first unread message instead.
   */
  async open(unread?: { count: number; readMaxId: number }): Promise<void> {
    if (this.#opened) return;
    this.#opened = true;
    if (unread && unread.count >= HISTORY_PAGE && unread.readMaxId > 0) {
      await this.jumpTo(unread.readMaxId, { after: true });
      return;
    }
    await this.jumpToLatest();
    const firstUnread = unread && this.messages.peek().find((m) => m.id > unread.readMaxId);
    if (firstUnread && unread.count > 0) {
      this.focus = { id: firstUnread.id };
      this.generation.value++;
    }
  }

  /**
   * Shows `id` and flashes it (opening the chat there when it was not open
   * yet, as a search result does); false when the message is gone.
   */
  async reveal(id: number): Promise<boolean> {
    this.#opened = true;
    const found = await this.jumpTo(id);
    if (found) {
      this.highlighted.value = id;
      setTimeout(() => {
        if (this.highlighted.peek() === id) this.highlighted.value = null;
      }, HIGHLIGHT_MS);
    }
    return found;
  }

  /** Replaces the window with the newest page. */
  async jumpToLatest(): Promise<void> {
    await this.#replace(async () => {
      const page = await this.#page({ limit: HISTORY_PAGE });
      return { messages: page, hasOlder: page.length === HISTORY_PAGE, atLatest: true, focus: 'bottom' as const };
    });
  }

  /**
   * Shows `id` (or, with `after`, the messages after it: the first unread),
   * loading the pages on both sides of it unless it is already in the window.
   */
  async jumpTo(id: number, options: { after?: boolean } = {}): Promise<boolean> {
    const inWindow = this.messages.peek().find((m) => m.id === id);
    if (inWindow && !options.after) {
      this.focus = { id };
      this.generation.value++;
      return true;
    }
    await this.#replace(async () => {
      const half = HISTORY_PAGE / 2;
      const [before, after] = await Promise.all([
        this.#page({ offset_id: id + 1, direction: 'before', limit: half }),
        this.#page({ offset_id: id, direction: 'after', limit: half }),
      ]);
      const messages = [...before, ...after];
      const target = options.after ? (after[0] ?? before.at(-1)) : messages.find((m) => m.id >= id);
      return {
        messages,
        hasOlder: before.length === half,
        atLatest: after.length < half,
        focus: target ? { id: target.id } : ('bottom' as const),
      };
    });
    return this.messages.peek().some((m) => m.id === id);
  }

  async loadOlder(): Promise<void> {
    const first = this.messages.peek()[0];
    if (!first || !this.hasOlder.peek() || this.loading.peek()) return;
    await this.#load('older', async () => {
      const page = await this.#page({
        offset_id: first.id,
        direction: 'before',
        limit: HISTORY_PAGE,
      });
      this.hasOlder.value = page.length === HISTORY_PAGE;
      this.#merge(page);
    });
  }

  async loadNewer(): Promise<void> {
    const last = this.messages.peek().at(-1);
    if (!last || this.atLatest.peek() || this.loading.peek()) return;
    await this.#load('newer', async () => {
      const page = await this.#page({
        offset_id: last.id,
        direction: 'after',
        limit: HISTORY_PAGE,
      });
      if (page.length < HISTORY_PAGE) this.atLatest.value = true;
      this.#merge(page);
    });
  }

  /** A message by id: from the window, or fetched once with getMessages (for reply quotes). */
  lookup(id: number): Message | null | undefined {
    const inWindow = this.messages.value.find((m) => m.id === id);
    if (inWindow) return inWindow;
    const known = this.referenced.value.get(id);
    if (known !== undefined || this.#deleted.has(id)) return known ?? null;
    if (!this.#lookingUp.has(id)) {
      this.#lookingUp.add(id);
      this.client.call('getMessages', { chat_id: this.chatId, ids: [id] }).then(
        ({ messages }) => {
          const next = new Map(this.referenced.peek());
          next.set(id, messages[0] ?? null);
          this.referenced.value = next;
        },
        () => this.#lookingUp.delete(id),
      );
    }
    return undefined;
  }

  /** Retries whatever failed (after a reconnect). */
  async retry(): Promise<void> {
    if (this.error.peek() === undefined) return;
    if (this.messages.peek().length === 0 || !this.atLatest.peek()) await this.jumpToLatest();
    else await this.loadNewer();
  }

  onMessage(message: Message): void {
    this.#whenIdle(() => {
      if (this.#deleted.has(message.id)) return;
      if (message.thread_id !== undefined) this.#countReply(message.thread_id, message.id, +1);
      if (!this.#belongs(message)) return;
      const list = this.messages.peek();
      const last = list.at(-1);
      const known = list.some((m) => m.id === message.id);
      // Outside the window (the user scrolled back): it loads when they scroll down.
      if (!known && !this.atLatest.peek() && (!last || message.id > last.id)) return;
      this.#merge([message]);
    });
  }

  onEdit(message: Message): void {
    this.#whenIdle(() => {
      const list = this.messages.peek();
      const i = list.findIndex((m) => m.id === message.id);
      if (i === -1) return;
      if ((list[i]!.edit_date ?? 0) > (message.edit_date ?? 0)) return;
      const next = list.slice();
      // Messages in updates carry no reactions: keep what is known (see Message.reactions).
      const reactions = message.reactions ?? list[i]!.reactions;
      next[i] = reactions ? { ...message, reactions } : message;
      this.messages.value = next;
    });
  }

  /** Someone's reactions changed: the new counts, and this account's choice when it was them. */
  onReactions(update: { message_id: number; user_id: number; new_reactions: Reaction[]; results: ReactionCount[] }, me: number): void {
    this.#whenIdle(() => {
      const list = this.messages.peek();
      const i = list.findIndex((m) => m.id === update.message_id);
      if (i === -1) return;
      this.#setReactions(i, { results: update.results, chosen: update.user_id === me ? update.new_reactions : (list[i]!.reactions?.chosen ?? []) });
    });
  }

  /** This account's own change, as the server answered it (before or without its update). */
  setReactions(messageId: number, reactions: MessageReactions): void {
    const i = this.messages.peek().findIndex((m) => m.id === messageId);
    if (i !== -1) this.#setReactions(i, reactions);
  }

  /**
   * Channel posts' view counts, as the server last counted them (views only
   * grow, so an older answer is ignored), and their comment counts.
   */
  setViews(views: readonly { id: number; views: number; comments?: Message['comments'] }[]): void {
    const byId = new Map(views.map((v) => [v.id, v]));
    let changed = false;
    const next = this.messages.peek().map((m) => {
      const fresh = byId.get(m.id);
      if (!fresh) return m;
      const moreViews = fresh.views > (m.views ?? 0);
      const newComments = fresh.comments !== undefined && fresh.comments.count !== m.comments?.count;
      if (!moreViews && !newComments) return m;
      changed = true;
      return { ...m, ...(moreViews ? { views: fresh.views } : {}), ...(newComments ? { comments: fresh.comments } : {}) };
    });
    if (changed) this.messages.value = next;
  }

  /**
   * A reply arrived (+1) or went (-1): its root's count, when the root is in
   * the window. An arrival the count already includes (the page was read
   * after the reply was sent: its id is not above max_id) is not counted twice.
   */
  #countReply(rootId: number, replyId: number, delta: 1 | -1): void {
    const list = this.messages.peek();
    const i = list.findIndex((m) => m.id === rootId);
    if (i === -1) return;
    const root = list[i]!;
    const { replies: known, ...rest } = root;
    if (delta === 1 && known && replyId <= known.max_id) return;
    const count = (known?.count ?? 0) + delta;
    const next = list.slice();
    next[i] = count > 0 ? { ...rest, replies: { count, max_id: delta === 1 ? replyId : known!.max_id } } : rest;
    this.messages.value = next;
  }

  #setReactions(index: number, reactions: MessageReactions): void {
    const next = this.messages.peek().slice();
    const { reactions: _old, ...message } = next[index]!;
    next[index] = reactions.results.length > 0 ? { ...message, reactions } : message;
    this.messages.value = next;
  }

  onDelete(ids: readonly number[]): void {
    for (const id of ids) this.#deleted.add(id);
    this.#whenIdle(() => {
      const gone = new Set(ids);
      // Replies the window holds take their count off their root (others are counted again on the next read).
      for (const m of this.messages.peek()) if (gone.has(m.id) && m.thread_id !== undefined) this.#countReply(m.thread_id, m.id, -1);
      const list = this.messages.peek();
      if (list.some((m) => gone.has(m.id))) this.messages.value = list.filter((m) => !gone.has(m.id));
    });
  }

  async #replace(
    fetch: () => Promise<{ messages: Message[]; hasOlder: boolean; atLatest: boolean; focus: ChatHistory['focus'] }>,
  ): Promise<void> {
    await this.#load('window', async () => {
      const result = await fetch();
      this.messages.value = result.messages.filter((m) => !this.#deleted.has(m.id));
      this.hasOlder.value = result.hasOlder;
      this.atLatest.value = result.atLatest;
      this.focus = result.focus;
      this.generation.value++;
    });
  }

  async #load(kind: 'window' | 'older' | 'newer', run: () => Promise<void>): Promise<void> {
    this.loading.value = kind;
    this.#inflight++;
    try {
      await run();
      this.error.value = undefined;
    } catch (error) {
      this.error.value = error;
    } finally {
      this.#inflight--;
      this.loading.value = null;
      if (this.#inflight === 0) {
        const queued = this.#queued;
        this.#queued = [];
        for (const apply of queued) apply();
      }
    }
  }

  #whenIdle(apply: () => void): void {
    if (this.#inflight > 0) this.#queued.push(apply);
    else apply();
  }

  /** Adds messages, keeping ascending id order, replacing any with the same id. */
  #merge(incoming: readonly Message[]): void {
    if (incoming.length === 0) return;
    const byId = new Map(this.messages.peek().map((m) => [m.id, m]));
    for (const m of incoming) if (!this.#deleted.has(m.id)) byId.set(m.id, m);
    this.messages.value = [...byId.values()].sort((a, b) => a.id - b.id);
  }
}

/** One ChatHistory per chat, created when first needed. */
export class Histories {
  readonly #byChat = new Map<number, ChatHistory>();

  constructor(private readonly client: EdgegramClient) {}

  readonly #threads = new Map<string, ChatHistory>();

  get(chatId: number): ChatHistory {
    let history = this.#byChat.get(chatId);
    if (!history) this.#byChat.set(chatId, (history = new ChatHistory(this.client, chatId)));
    return history;
  }

  /** The window of one thread of a chat (its root's id), created when first needed. */
  thread(chatId: number, rootId: number): ChatHistory {
    const key = `${chatId}:${rootId}`;
    let history = this.#threads.get(key);
    if (!history) this.#threads.set(key, (history = new ChatHistory(this.client, chatId, rootId)));
    return history;
  }

  /** The window of one forum topic, created when first needed. */
  topic(chatId: number, topicId: number): ChatHistory {
    const key = `${chatId}:topic:${topicId}`;
    let history = this.#threads.get(key);
    if (!history) this.#threads.set(key, (history = new ChatHistory(this.client, chatId, null, topicId)));
    return history;
  }

  /** A channel post's comments: the thread of its forward in the discussion group, read through the channel. */
  discussion(groupId: number, rootId: number, source: { channelId: number; postId: number }): ChatHistory {
    const key = `${groupId}:${rootId}`;
    let history = this.#threads.get(key);
    if (!history?.discussion) this.#threads.set(key, (history = new ChatHistory(this.client, groupId, rootId, null, source)));
    return history;
  }

  /** Every window showing this chat's messages: the chat's own, its threads' and its topics'. Updates go to each. */
  forChat(chatId: number): ChatHistory[] {
    const windows = [...this.#threads.values()].filter((h) => h.chatId === chatId);
    const main = this.#byChat.get(chatId);
    return main ? [main, ...windows] : windows;
  }

  peek(chatId: number): ChatHistory | undefined {
    return this.#byChat.get(chatId);
  }

  all(): ChatHistory[] {
    return [...this.#byChat.values(), ...this.#threads.values()];
  }

  /** Too much was missed: every window is stale. Open ones reload; the rest reload when opened. */
  resetAll(): void {
    for (const history of this.all()) if (history.opened) void history.jumpToLatest();
  }

  /**
   * Too much of one large chat was missed (its own pts sync said so): only
   * that chat's windows are stale.
   */
  resetChat(chatId: number): void {
    for (const history of this.forChat(chatId)) if (history.opened) void history.jumpToLatest();
  }
}
