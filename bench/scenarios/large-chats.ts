import { closedLoop, sequential, type Lane } from '../generator/drive.js';
import { measurePhase } from '../generator/measure.js';
import { ScenarioId } from '../lib/types.js';
import type { EdgegramTarget } from '../targets/edgegram.js';
import { inParallel, type Sock } from '../targets/target.js';
import { sleep, type ScenarioContext } from './context.js';
import type { Device } from '../lib/lean-client.js';

/** Members who take turns sending (spreads the room's per-sender rate). */
const SENDERS = 10;
/** Messages in flight for the throughput phase. */
const LOADED_WINDOW = 8;

/**
 * Large chats (issue 15): supergroups of each size in `largeChatSizes`,
 * seeded in bulk through the local-only route, each with the same online
 * audience (`largeChatOnline` sockets, or every member of a smaller chat).
 * Per size: one message at a time (the sender's ack and the time to the
 * last online delivery at rest) and LOADED_WINDOW in flight (deliveries per
 * second, server CPU per delivery), with the most rows written and calls
 * made by the ChatRoom per message and the most mailboxes one fan-out shard
 * pushed a message to (the room's work meter, reset per repetition). Then a
 * member of the largest chat who was offline replays `largeChatCatchUp`
 * missed messages with getChannelDifference.
 */
export async function largeChats(ctx: ScenarioContext, edgegram: EdgegramTarget): Promise<void> {
  const { sizes, tracker } = ctx;
  const scenario = ScenarioId.largeChats;
  const contender = ctx.contenders[0]!;
  let largest: { chatId: number; senders: Session[]; reader: Session } | undefined;
  for (const size of sizes.largeChatSizes) {
    const online = Math.min(size, sizes.largeChatOnline);
    const seedStarted = performance.now();
    // One session more than online: the catch-up reader, offline until then.
    const seeded = await edgegram.seedLargeChat(size - 1, Math.min(size, online + 1));
    const present = seeded.sessions.slice(0, online);
    const opened = await inParallel(present, 32, async (s) => {
      const o = await edgegram.connectSeeded(s, seeded.chatId);
      // Answers once the mailbox followed its large chats (subscribed to its shard).
      await o.device.call('getDialogs', { limit: 1 });
      return o;
    });
    ctx.log(`large chats: ${size} members seeded, ${online} online in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s`);
    const socks: Sock[] = opened.map((o) => o.sock);
    const lane: Lane = { senders: socks.slice(0, Math.min(SENDERS, socks.length)), expectedFrom: () => socks.length - 1 };
    const work = async () => {
      const w = await edgegram.chatWork(seeded.chatId, true);
      return { roomRowsPerMessage: w.maxRows, roomCallsPerMessage: w.maxCalls, shardPushesPerMessage: w.maxShardPushes, members: size, online };
    };
    for (const [label, window] of [[`large chat ${size} idle`, 1], [`large chat ${size} x${LOADED_WINDOW}`, LOADED_WINDOW]] as const) {
      ctx.report(
        await measurePhase(ctx, contender, {
          scenario,
          label,
          before: async () => void (await edgegram.chatWork(seeded.chatId, true)),
          run: async (active) => {
            // At most 25 messages/s per sender (the room allows 30): a 2-member chat has only 2 senders.
            const gap = 1000 / (25 * lane.senders.length);
            // At rest: each message after the previous one's deliveries and as long again (see sequential).
            await (window === 1 ? sequential(tracker, [lane], active, { minGapMs: gap, restFactor: 1 }) : closedLoop(tracker, [lane], window, active));
            // Let the last broadcasts reach the shards' meter before reading it.
            await sleep(50);
            return work();
          },
        }),
      );
    }
    if (size === sizes.largeChatSizes.at(-1) && seeded.sessions.length > online) {
      largest = { chatId: seeded.chatId, senders: present.slice(0, SENDERS), reader: seeded.sessions[online]! };
    }
    await edgegram.closeAll();
  }
  if (largest) await catchUp(ctx, edgegram, largest);
  await edgegram.closeAll();
}

type Session = { user_id: number; token: string };

/** A member who was offline replays what it missed in the largest chat, paged by 1,000. */
async function catchUp(
  ctx: ScenarioContext,
  edgegram: EdgegramTarget,
  chat: { chatId: number; senders: Session[]; reader: Session },
): Promise<void> {
  const { sizes } = ctx;
  // Only the senders are online while the missed messages are written (nobody else is pushed them).
  const senders: Device[] = await inParallel(chat.senders, SENDERS, async (s) => (await edgegram.connectSeeded(s, chat.chatId)).device);
  const reader = await edgegram.connectSeeded(chat.reader, chat.chatId);
  const start = (JSON.parse(await reader.device.call('getChat', { chat_id: chat.chatId })) as { result: { chat: { pts: number } } }).result.chat.pts;
  await reader.device.close();
  const generated = performance.now();
  let rateLimited = 0;
  const perSender = Math.ceil(sizes.largeChatCatchUp / senders.length);
  await inParallel(senders, senders.length, async (device, k) => {
    for (let i = 0; i < perSender; i++) {
      for (;;) {
        try {
          await device.call('sendMessage', { peer: { chat_id: chat.chatId }, random_id: `lc${k}x${i}`, text: `missed ${i}` });
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'RATE_LIMITED') throw err;
          rateLimited++;
          await sleep(200);
        }
      }
    }
  });
  const generateS = (performance.now() - generated) / 1000;
  ctx.log(`large chats: ${perSender * senders.length} messages for the catch-up in ${generateS.toFixed(1)} s (${rateLimited} rate-limited retries)`);
  const device = (await edgegram.connectSeeded(chat.reader, chat.chatId)).device;
  ctx.report(
    await measurePhase(ctx, ctx.contenders[0]!, {
      steady: false,
      scenario: ScenarioId.largeChats,
      label: `large chat catch-up ${perSender * senders.length}`,
      unit: 'updates/s',
      throughput: (rep) => (rep.deliveries / rep.wallMs) * 1000,
      run: async () => {
        const t0 = performance.now();
        const r = await device.catchUpChannel(chat.chatId, start);
        const ms = performance.now() - t0;
        const w = ctx.tracker.window;
        w.latencies.push(ms);
        w.deliveries += r.updates;
        if (r.tooLong || r.updates < perSender * senders.length) w.error(r.tooLong ? 'TOO_LONG' : 'INCOMPLETE');
        return { ms, bytes: r.bytes, pages: r.pages, updates: r.updates, generateSeconds: generateS };
      },
    }),
  );
}
