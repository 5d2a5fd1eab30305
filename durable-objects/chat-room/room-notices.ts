import { z } from 'zod';
import { MessageMedia } from '../../protocol/media.js';
import { Id } from '../../protocol/common.js';
import { Entity } from '../../protocol/messages.js';
import { fail } from '../../protocol/errors.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';
import type { SqlStore } from '../sql/store.js';
import { logUnreadable, readStored, type StoredShape } from '../sql/stored-json.js';
import type { AlarmScheduler, Background } from './outbox.js';

/**
 * What one chat tells another (a channel and its discussion group, see
 * ./discussion.ts). Each notice is safe to apply twice: a post is forwarded
 * once per (channel, post) whatever the number of deliveries, and a comment
 * count is the count itself, not an increment.
 */
export const RoomNotice = z.discriminatedUnion('kind', [
  /** Channel → group: a new post, to be forwarded automatically. */
  z.object({
    kind: z.literal('channel_post'),
    post_id: Id,
    date: z.number().int().nonnegative(),
    text: z.string(),
    entities: z.array(Entity),
    media: MessageMedia.nullable(),
    chat_title: z.string().max(128),
    post_author: z.string().max(128).optional(),
  }),
  /** Group → channel: how many comments a post has now, and the newest. */
  z.object({ kind: z.literal('comments'), post_id: Id, count: z.number().int().nonnegative(), max_id: Id.nullable() }),
  /** Channel → group: a post was edited; its copy in the group follows (the newest edit replaces one not yet sent). */
  z.object({ kind: z.literal('post_edited'), post_id: Id, text: z.string(), entities: z.array(Entity), edit_date: z.number().int().nonnegative() }),
  /**
   * Channel → group: whether the channel's link to this group stands. The
   * group linked itself already (setDiscussionGroup asks it first); this
   * unlinks it when the channel moves on, and, being one key per group,
   * the newest word wins even over an older one still in flight.
   */
  z.object({ kind: z.literal('link'), linked: z.boolean() }),
]);
export type RoomNotice = z.infer<typeof RoomNotice>;

export const ROOM_NOTICE_BODY: StoredShape<typeof RoomNotice> = { name: 'room_notices.body', schema: RoomNotice, current: 1 };

/** Parses notices another object sent (RPC input is outside input too). */
export function parseNotices(value: unknown): RoomNotice[] {
  const parsed = safeParseUntrusted(z.array(RoomNotice).max(BATCH), value);
  if (!parsed.success) throw fail.badRequest('Malformed room notices');
  return parsed.data;
}

/** Delivers notices to another chat's room; resolves once that room committed them, throws otherwise. */
export type TellRoom = (toChatId: number, fromChatId: number, notices: RoomNotice[]) => Promise<void>;

const BATCH = 50;
const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 5 * 60_000;

/**
 * The room's durable queue of notices to other rooms (`room_notices`):
 * written in the transaction of the change that causes it, so a crash
 * between the two rooms neither loses nor duplicates its effect; drained
 * right after the commit, and by the alarm with backoff when the other room
 * failed. A notice has a key per target (`post:<id>`, `comments:<id>`): a
 * newer notice with the same key replaces one not yet sent, so a burst of
 * comments costs the channel one call, with the last count. A row is
 * deleted only if it still holds what was sent.
 */
export class RoomNotices {
  private draining: Promise<boolean> | undefined;
  private staged = false;
  private failures = 0;
  private alarmAt: number | null = null;

  constructor(
    private readonly store: SqlStore,
    private readonly tell: TellRoom,
    private readonly scheduler: AlarmScheduler,
    private readonly now: () => number,
    private readonly background: Background,
  ) {}

  /** Inside a transaction: queue (or replace) the notice `key` for `toChatId`. */
  enqueue(toChatId: number, key: string, notice: RoomNotice): void {
    this.store.exec(
      `INSERT INTO room_notices (target_chat, key, body, v) VALUES (?, ?, ?, ?)
       ON CONFLICT (target_chat, key) DO UPDATE SET body = excluded.body, v = excluded.v`,
      toChatId,
      key,
      JSON.stringify(notice),
      ROOM_NOTICE_BODY.current,
    );
    this.staged = true;
  }

  /** The transaction rolled back. */
  discardStaged(): void {
    this.staged = false;
  }

  /** Right after a commit: arm the backstop, then drain what this commit queued. */
  dispatch(): void {
    if (!this.staged) return;
    this.staged = false;
    this.arm(this.now() + 10_000);
    this.track(this.drain());
  }

  /** The alarm: retries whatever is still queued. */
  async alarm(): Promise<void> {
    this.alarmAt = null;
    const ok = await this.drain();
    if (!ok) this.retryLater();
  }

  /** Resolves once the drain running now (if any) finished. */
  async idle(): Promise<void> {
    while (this.draining) await this.draining;
  }

  private drain(): Promise<boolean> {
    this.draining ??= this.sendAll().finally(() => (this.draining = undefined));
    return this.draining;
  }

  /** Oldest first, one call per target and batch; false once a target failed (the others were still tried). */
  private async sendAll(): Promise<boolean> {
    let ok = true;
    const failed = new Set<number>();
    for (;;) {
      const rows = this.store.exec<{ seq: number; target_chat: number; key: string; body: string; v: number }>(
        `SELECT seq, target_chat, key, body, v FROM room_notices
         WHERE target_chat NOT IN (SELECT value FROM json_each(?)) ORDER BY seq LIMIT ?`,
        JSON.stringify([...failed]),
        BATCH,
      );
      if (rows.length === 0) break;
      const target = rows[0]!.target_chat;
      const batch: typeof rows = [];
      const notices: RoomNotice[] = [];
      let stuck = false;
      for (const row of rows.filter((r) => r.target_chat === target)) {
        const read = readStored(ROOM_NOTICE_BODY, row.body, row.v);
        if (!read.ok) {
          // Kept, never skipped (the order matters to its target): logged for a repair, the target waits.
          logUnreadable(ROOM_NOTICE_BODY, read.reason, { target_chat: target, key: row.key });
          stuck = true;
          break;
        }
        batch.push(row);
        notices.push(read.value);
      }
      let sent = true;
      try {
        if (notices.length > 0) await this.tell(target, this.chatId(), notices);
      } catch (err) {
        console.warn(`chat room: notice to chat ${target} failed; the alarm retries`, err);
        sent = false;
      }
      // A row replaced while the call ran holds a newer notice: it stays for the next drain.
      if (sent) for (const row of batch) this.store.exec('DELETE FROM room_notices WHERE seq = ? AND body = ?', row.seq, row.body);
      if (stuck || !sent) {
        failed.add(target);
        ok = false;
      }
    }
    if (ok) this.failures = 0;
    return ok;
  }

  private chatId(): number {
    return this.store.exec<{ id: number }>('SELECT id FROM chat')[0]?.id ?? 0;
  }

  private retryLater(): void {
    this.failures++;
    this.arm(this.now() + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (this.failures - 1)));
  }

  private arm(at: number): void {
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    this.alarmAt = at;
    this.scheduler.setAlarm(at);
  }

  private track(work: Promise<boolean>): void {
    const p = work
      .then((ok) => {
        if (!ok) this.retryLater();
      })
      .catch((err: unknown) => console.error('chat room: notices drain failed', err));
    this.background(p);
  }
}
