import { signal } from '@preact/signals';
import type { EdgegramClient, TypingEvent } from '../../../client/index.js';

/** How long a typing notice shows without a refresh; senders repeat it every TYPING_REPEAT_MS. */
const TYPING_SHOWN_MS = 6_000;
const TYPING_REPEAT_MS = 4_000;

/** Who is typing where (incoming), and this user's own typing notices (outgoing, throttled). */
export class Typing {
  /** chat id → user id → when the notice expires. */
  readonly byChat = signal<ReadonlyMap<number, ReadonlyMap<number, number>>>(new Map());
  readonly #lastSent = new Map<number, number>();
  #sweep: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly client: EdgegramClient,
    private readonly me: number,
    /** Whether the chat relays typing notices at all. */
    private readonly relaysTyping: (chatId: number) => boolean = () => true,
  ) {}

  onEvent(event: TypingEvent): void {
    if (event.user_id === this.me) return;
    if (event.action === 'typing') this.#set(event.chat_id, event.user_id, Date.now() + TYPING_SHOWN_MS);
    else this.clear(event.chat_id, event.user_id);
  }

  /** A message from someone ends their typing notice. */
  clear(chatId: number, userId: number): void {
    if (!this.byChat.peek().get(chatId)?.has(userId)) return;
    this.#set(chatId, userId, undefined);
  }

  typersIn(chatId: number): number[] {
    return [...(this.byChat.value.get(chatId)?.keys() ?? [])];
  }

  /** The user typed in the composer. */
  typing(chatId: number): void {
    const now = Date.now();
    if (!this.relaysTyping(chatId) || now - (this.#lastSent.get(chatId) ?? 0) < TYPING_REPEAT_MS) return;
    this.#lastSent.set(chatId, now);
    this.client.setTyping(chatId, 'typing').catch(() => {});
  }

  /** The user sent, or cleared the composer. */
  stopped(chatId: number): void {
    const last = this.#lastSent.get(chatId);
    if (last === undefined) return;
    this.#lastSent.delete(chatId);
    if (Date.now() - last < TYPING_SHOWN_MS) this.client.setTyping(chatId, 'cancel').catch(() => {});
  }

  dispose(): void {
    clearInterval(this.#sweep);
  }

  #set(chatId: number, userId: number, until: number | undefined): void {
    const next = new Map(this.byChat.peek());
    const users = new Map(next.get(chatId) ?? []);
    if (until === undefined) users.delete(userId);
    else users.set(userId, until);
    if (users.size > 0) next.set(chatId, users);
    else next.delete(chatId);
    this.byChat.value = next;
    this.#sweep ??= setInterval(() => this.#expire(), 1_000);
  }

  #expire(): void {
    const now = Date.now();
    let changed = false;
    const next = new Map<number, ReadonlyMap<number, number>>();
    for (const [chatId, users] of this.byChat.peek()) {
      const live = new Map([...users].filter(([, until]) => until > now));
      if (live.size !== users.size) changed = true;
      if (live.size > 0) next.set(chatId, live);
    }
    if (changed) this.byChat.value = next;
    if (next.size === 0) {
      clearInterval(this.#sweep);
      this.#sweep = undefined;
    }
  }
}
