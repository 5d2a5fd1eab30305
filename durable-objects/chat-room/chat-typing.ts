import type { TypingEvent } from '../../protocol/updates.js';
import type { z } from 'zod';

/** A large chat shows who is typing at most once per this window, to everyone online. */
export const LARGE_CHAT_TYPING_WINDOW_MS = 2_000;

type Typing = z.infer<typeof TypingEvent>;

/**
 * Typing in a large chat, aggregated per chat: a notice goes to every online
 * member (one push through the fan-out shards), so at most one leaves per
 * window, the newest one; notices arriving meanwhile are merged into the one
 * sent at the window's end. So a chat of 200,000 where 50 people type costs
 * the same pushes as one where a single person does. In memory: losing it
 * with an eviction loses a notice, which is what typing notices may do.
 */
export class ChatTyping {
  private lastSentAt = Number.NEGATIVE_INFINITY;
  private pending: Typing | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly send: (event: Typing) => void,
    private readonly now: () => number,
    private readonly windowMs = LARGE_CHAT_TYPING_WINDOW_MS,
  ) {}

  offer(event: Typing): void {
    const wait = this.lastSentAt + this.windowMs - this.now();
    if (wait <= 0 && !this.timer) {
      this.emit(event);
      return;
    }
    this.pending = event;
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      const next = this.pending;
      this.pending = undefined;
      if (next) this.emit(next);
    }, Math.max(0, wait));
  }

  private emit(event: Typing): void {
    this.lastSentAt = this.now();
    this.send(event);
  }
}
