import { afterEach, describe, expect, it, vi } from 'vitest';
import { ChatTyping } from '../../../durable-objects/chat-room/chat-typing.js';

const notice = (user_id: number, action: 'typing' | 'cancel' = 'typing') => ({ type: 'typing', chat_id: 7, user_id, action }) as const;

describe("a large chat's typing, aggregated per chat", () => {
  afterEach(() => vi.useRealTimers());

  it('sends the first notice at once, then at most one per window: the newest of those that came meanwhile', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const typing = new ChatTyping((e) => sent.push(e.user_id), () => Date.now(), 2_000);
    typing.offer(notice(1));
    expect(sent).toEqual([1]);
    for (const user of [2, 3, 4, 5]) typing.offer(notice(user));
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1_999);
    expect(sent).toEqual([1]);
    vi.advanceTimersByTime(1);
    expect(sent).toEqual([1, 5]);
    // Fifty people typing for ten seconds: five more notices, not five hundred.
    for (let t = 0; t < 10_000; t += 20) {
      typing.offer(notice(100 + (t % 50)));
      vi.advanceTimersByTime(20);
    }
    expect(sent.length).toBeLessThanOrEqual(2 + 5 + 1);
  });

  it('after a quiet window a notice goes out at once again', () => {
    vi.useFakeTimers();
    const sent: number[] = [];
    const typing = new ChatTyping((e) => sent.push(e.user_id), () => Date.now(), 2_000);
    typing.offer(notice(1));
    vi.advanceTimersByTime(5_000);
    typing.offer(notice(2));
    expect(sent).toEqual([1, 2]);
  });
});
