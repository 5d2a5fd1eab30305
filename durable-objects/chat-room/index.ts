import { DurableObject } from 'cloudflare:workers';
import type { DownFrame } from '../../protocol/ws.js';
import { applyIndexChanges } from '../../d1/queries/index-changes.js';
import { clearParked, recordParked } from '../../d1/queries/outbox-parked.js';
import { database } from '../../d1/db.js';
import type { Env } from '../env.js';
import { AlarmJobs } from '../alarm-jobs.js';
import { capture, unwrap, type Outcome } from '../outcome.js';
import { releaseFiles } from '../file-reaper/index.js';
import { durableSqlStore } from '../sql/store.js';
import { chatRoom, fanoutShard, mailbox } from '../stubs.js';
import { FANOUT_SHARDS, shardOf } from '../fanout-shard/shard.js';
import { ChatRoomLogic, type ChatTransport } from './room.js';

/**
 * How long a large chat's fan-out waits after the commit: enough for the
 * sender's answer to leave first (measured by the bench's large-chat
 * scenario: with 0 the ack waited behind the pushes to 1,000 online members),
 * little against the fan-out's own time.
 */
const BROADCAST_DELAY_MS = 2;

/** The room's timed jobs (see ../alarm-jobs.ts). */
type RoomJob = 'outbox';

/**
 * One Durable Object per chat: a thin adapter from the runtime to
 * ChatRoomLogic (transport, alarm jobs, background work) and one RPC
 * method, `run`, for every verb.
 */
export class ChatRoom extends DurableObject<Env> {
  private readonly logic: ChatRoomLogic;
  private readonly jobs: AlarmJobs<RoomJob>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const store = durableSqlStore(ctx.storage);
    this.jobs = new AlarmJobs<RoomJob>(
      store,
      // Not awaited on purpose: called synchronously right after the commit,
      // the write joins the same output-gated batch as the transaction.
      (atMs) => void ctx.storage.setAlarm(atMs).catch((err: unknown) => console.error('setAlarm failed', err)),
      Date.now,
    );
    // A stub per recipient, kept: naming an object hashes its name, and a chat delivers to the same few.
    const mailboxes = new Map<number, ReturnType<typeof mailbox>>();
    const mailboxOf = (userId: number) => {
      let stub = mailboxes.get(userId);
      if (!stub) {
        if (mailboxes.size >= 1_000) mailboxes.clear();
        stub = mailbox(env, userId);
        mailboxes.set(userId, stub);
      }
      return stub;
    };
    const transport: ChatTransport = {
      async deliver(userId, events) {
        try {
          unwrap(await mailboxOf(userId).deliver(userId, events));
        } catch (err) {
          // A stub whose call threw may stay broken (an object reset, an overload): the retry gets a new one.
          mailboxes.delete(userId);
          throw err;
        }
      },
      async pushEphemeral(userIds, event) {
        // Best effort per recipient: one offline mailbox must not stop the rest.
        await Promise.allSettled(userIds.map((uid) => mailbox(env, uid).pushEvent(uid, event)));
      },
      broadcast(chatId, envelopes) {
        // One call per shard whatever the member count; each pushes to its own online members.
        // BROADCAST_DELAY_MS later, so the sender's answer leaves first: where objects share a
        // thread (always in local workerd, and often on one machine), a fan-out started at once
        // runs its thousand pushes ahead of the ack, which does not have to wait for them.
        const frame = JSON.stringify({ t: 'channel_updates', chat_id: chatId, updates: envelopes } satisfies DownFrame);
        const done = new Promise<void>((resolve) => setTimeout(resolve, BROADCAST_DELAY_MS)).then(() =>
          Promise.all(Array.from({ length: FANOUT_SHARDS }, (_, shard) => fanoutShard(env, chatId, shard).push(chatId, frame))),
        );
        return { calls: FANOUT_SHARDS, done: done.then((r) => r.map((x) => x.pushed)) };
      },
      async broadcastEvent(chatId, event) {
        const frame = JSON.stringify({ t: 'event', event } satisfies DownFrame);
        await Promise.all(Array.from({ length: FANOUT_SHARDS }, (_, shard) => fanoutShard(env, chatId, shard).push(chatId, frame, false)));
      },
      async unsubscribe(chatId, userId) {
        await fanoutShard(env, chatId, shardOf(userId)).unsubscribe(userId);
      },
      async writeIndex(changes) {
        const now = Date.now();
        await applyIndexChanges(database(env.DB), changes, now);
        // Files whose last message is gone: their reapers' alarms free them.
        await releaseFiles(env, changes, now);
      },
      async tellRoom(toChatId, fromChatId, notices) {
        unwrap(await chatRoom(env, toChatId).receiveNotices(fromChatId, notices));
      },
      async reportParking(report) {
        const db = database(env.DB);
        if (report.op === 'resumed') return clearParked(db, report.chatId, report.recipient);
        const { chatId, recipient, at, attempts, oldestSeq, rows } = report;
        await recordParked(db, { chatId, userId: recipient, parkedAt: at, attempts, oldestSeq, rowCount: rows });
      },
    };
    this.logic = new ChatRoomLogic(store, {
      now: Date.now,
      transport,
      // The outbox is the room's one timed job today, on the shared scheduler (../alarm-jobs.ts).
      scheduler: { setAlarm: (atMs) => this.jobs.schedule('outbox', atMs) },
      background: (work) => ctx.waitUntil(work),
    });
  }

  /**
   * The one RPC method: a verb of ./verbs.ts by name with its arguments.
   * Callers use the typed stub `chatRoom(env, id)` (../stubs.ts), never
   * this directly. An Outcome, because workerd drops an error's code
   * across RPC.
   */
  run(verb: string, args: unknown[]): Promise<Outcome<unknown>> {
    return capture(() => this.logic.run(verb, args));
  }

  /** The outbox backstop; at-least-once, and idempotent because only acknowledged rows are deleted. */
  override async alarm(): Promise<void> {
    await this.jobs.run({ outbox: () => this.logic.alarm() });
  }
}
