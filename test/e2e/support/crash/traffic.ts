import type { RecordedSend } from '../../../support/history-checker.js';
import type { Device } from '../sdk.js';

/** A small seeded PRNG (mulberry32): the same seed gives the same kill schedule. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type Sender = { device: Device; chats: number[] };

/** One recorded send, plus what the crash test wants to know about it. */
type Attempt = {
  record: RecordedSend;
  /** Kills before the send was issued, and before it was answered. */
  killsAtIssue: number;
  killsAtAck?: number;
  /** The server's commit time of the message it got. */
  date?: number;
  error?: unknown;
};

/**
 * SDK devices that keep sending, one message at a time each, through
 * whatever happens to the server. Each send has a random_id chosen here, so
 * it is recorded before the server ever sees it; the SDK re-sends it with
 * the same id after every reconnect until the server answers.
 */
export class Traffic {
  private clock = 0;
  private running = false;
  private loops: Promise<void>[] = [];
  private readonly attempts: Attempt[] = [];
  /** When each kill happened (Date.now(), the clock the local server stamps messages with). */
  private readonly killTimes: number[] = [];

  constructor(private readonly random: () => number) {}

  get sends(): RecordedSend[] {
    return this.attempts.map((a) => a.record);
  }

  /** Sends issued and not answered yet. */
  get inFlight(): number {
    return this.attempts.filter((a) => !a.record.ack && a.error === undefined).length;
  }

  get acked(): number {
    return this.attempts.filter((a) => a.record.ack).length;
  }

  /** Acked sends that were issued before a kill and answered after it: the SDK's retry carried them. */
  get ackedAcrossKill(): number {
    return this.spanningKill().length;
  }

  /**
   * Of those, the ones the server had committed before the kill (the message
   * is dated before it): the crash ate the ack, and the retry with the same
   * random_id got the original back instead of storing a second message.
   */
  get committedBeforeKill(): number {
    return this.spanningKill().filter((a) => a.date! < this.killTimes[a.killsAtIssue]!).length;
  }

  /** The test calls this right before each SIGKILL. */
  killing(): void {
    this.killTimes.push(Date.now());
  }

  /** Sends that failed for good (the SDK gave up), with why. */
  get failures(): { randomId: string; error: string }[] {
    return this.attempts.flatMap((a) => (a.error === undefined ? [] : [{ randomId: a.record.randomId, error: String(a.error) }]));
  }

  private spanningKill(): Attempt[] {
    return this.attempts.filter((a) => a.record.ack && a.killsAtIssue < a.killsAtAck!);
  }

  start(senders: Sender[]): void {
    this.running = true;
    this.loops = senders.map((s) => this.loop(s));
  }

  /** Stops issuing sends and waits until every send issued has its answer. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.loops);
  }

  private async loop({ device, chats }: Sender): Promise<void> {
    for (let n = 1; this.running; n++) {
      const chatId = chats[Math.floor(this.random() * chats.length)]!;
      const record: RecordedSend = { senderId: device.userId, chatId, randomId: `${device.name}-${n}`, sentAt: ++this.clock };
      const attempt: Attempt = { record, killsAtIssue: this.killTimes.length };
      this.attempts.push(attempt);
      try {
        const message = await device.client.sendMessage({ chat_id: chatId }, `crash test ${record.randomId}`, {
          random_id: record.randomId,
        });
        record.ack = { messageId: message.id, at: ++this.clock };
        attempt.killsAtAck = this.killTimes.length;
        attempt.date = message.date;
      } catch (error) {
        attempt.error = error;
      }
      // A short, jittered pause keeps the load realistic on a shared 2-core machine.
      await new Promise((resolve) => setTimeout(resolve, 10 + Math.floor(this.random() * 50)));
    }
  }
}
