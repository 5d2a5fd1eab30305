/**
 * Matches arrivals to sends. Every benchmark message carries a unique tag
 * (`m<n>`) as its text; each socket reports the tags it receives. A message
 * is complete when it was acknowledged and arrived on every socket expected
 * (the sending socket's own echo is not counted as a delivery).
 */
type Pending = {
  /** The window current when it was sent: its latencies and failure count there. */
  window: Window;
  sentAt: number;
  senderSocket: number;
  expected: number;
  got: number;
  acked: boolean;
  lastAt: number;
  done: () => void;
};

/**
 * Counters of one measurement window. Arrivals (deliveries, acks) count in
 * the window current when they arrive (throughput); latencies and failures in
 * the window current when the message was sent.
 */
export class Window {
  sends = 0;
  acks = 0;
  deliveries = 0;
  errors = 0;
  readonly errorCodes: Record<string, number> = {};
  readonly latencies: number[] = [];
  readonly lastLatencies: number[] = [];
  readonly ackLatencies: number[] = [];

  error(code: string): void {
    this.errors++;
    this.errorCodes[code] = (this.errorCodes[code] ?? 0) + 1;
  }
}

export class Tracker {
  private readonly pending = new Map<string, Pending>();
  private seq = 0;
  window = new Window();

  constructor(private readonly prefix: string) {}

  /** A fresh tag: letters and digits only, so it is a valid text and random_id everywhere. */
  nextTag(): string {
    return `${this.prefix}m${++this.seq}`;
  }

  get inFlight(): number {
    return this.pending.size;
  }

  /** Registers a send; `done` runs once it is acknowledged and fully delivered. */
  expect(tag: string, senderSocket: number, expected: number, done: () => void): void {
    this.pending.set(tag, { window: this.window, sentAt: performance.now(), senderSocket, expected, got: 0, acked: false, lastAt: 0, done });
    this.window.sends++;
  }

  acked(tag: string): void {
    const p = this.pending.get(tag);
    if (!p || p.acked) return;
    p.acked = true;
    this.window.acks++;
    p.window.ackLatencies.push(performance.now() - p.sentAt);
    this.settle(tag, p);
  }

  failed(tag: string, code: string): void {
    const p = this.pending.get(tag);
    if (!p) return;
    this.pending.delete(tag);
    p.window.error(code);
    p.done();
  }

  /** A socket received the message tagged `tag`. */
  delivered(tag: string, socket: number, at: number): void {
    const p = this.pending.get(tag);
    if (!p || socket === p.senderSocket) return;
    p.got++;
    p.lastAt = at;
    this.window.deliveries++;
    p.window.latencies.push(at - p.sentAt);
    this.settle(tag, p);
  }

  /** Gives up on everything still pending (counted as `undelivered`). */
  abandonAll(): number {
    const n = this.pending.size;
    for (const [tag, p] of this.pending) {
      this.pending.delete(tag);
      p.window.error('UNDELIVERED');
      p.done();
    }
    return n;
  }

  private settle(tag: string, p: Pending): void {
    if (!p.acked || p.got < p.expected) return;
    this.pending.delete(tag);
    if (p.expected > 0) p.window.lastLatencies.push(p.lastAt - p.sentAt);
    p.done();
  }
}

/** Tags in a raw frame: every `"text":"<tag>"`. Cheap enough to run on every frame. */
export function tagsIn(raw: string, prefix: string): string[] {
  const tags: string[] = [];
  const needle = `"text":"${prefix}m`;
  for (let i = raw.indexOf(needle); i !== -1; i = raw.indexOf(needle, i + needle.length)) {
    const start = i + 8;
    tags.push(raw.slice(start, raw.indexOf('"', start)));
  }
  return tags;
}
