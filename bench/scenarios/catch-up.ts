import { measurePhase } from '../generator/measure.js';
import { ScenarioId } from '../lib/types.js';
import type { EdgegramTarget } from '../targets/edgegram.js';
import { inParallel } from '../targets/target.js';
import { range, sleep, type ScenarioContext } from './context.js';

const SENDER_WINDOW = 4;

/**
 * Catch-up: an account misses N updates (senders write to it in private
 * chats while it is offline), then one device replays them with
 * getDifference, paged by 1,000. Time and bytes per full replay.
 */
export async function catchUp(ctx: ScenarioContext, edgegram: EdgegramTarget): Promise<void> {
  const { sizes } = ctx;
  const [reader, ...senders] = edgegram.take(sizes.catchUpSenders + 1);
  if (!reader) throw new Error('catch-up needs accounts');
  const state = await edgegram.http.call<{ pts: number }>(reader.tokens[0]!, 'getState', {});
  const perSender = Math.ceil(sizes.catchUpUpdates / senders.length);
  const started = performance.now();
  // Generating: each sender keeps SENDER_WINDOW sends in flight; Edgegram's
  // per-sender limit (burst 100, then 30/s per chat) paces the rest.
  let rateLimited = 0;
  await inParallel(senders, senders.length, async (account) => {
    const device = (await edgegram.connect(account)).device;
    const send = async (i: number) => {
      const params = { peer: { user_id: reader.userId }, random_id: `cu${account.index}x${i}`, text: `catch-up ${i}` };
      for (;;) {
        try {
          await device.call('sendMessage', params);
          break;
        } catch (err) {
          if ((err as { code?: string }).code !== 'RATE_LIMITED') throw err;
          rateLimited++;
          await sleep(200);
        }
      }
    };
    // The first message creates the private chat: alone, then the rest in parallel.
    await send(0);
    await inParallel(range(perSender).slice(1), SENDER_WINDOW, send);
  });
  // Delivery to the reader's mailbox runs after the acks: wait until it has
  // all the messages (plus a `chat` update per new private chat) and is still.
  const atLeast = state.pts + perSender * senders.length;
  let target = 0;
  for (let last = -1; target < atLeast || target !== last; await sleep(150)) {
    last = target;
    target = (await edgegram.http.call<{ pts: number }>(reader.tokens[0]!, 'getState', {})).pts;
  }
  const generateS = (performance.now() - started) / 1000;
  ctx.log(`catch-up: ${target - state.pts} updates generated in ${generateS.toFixed(1)} s (${rateLimited} rate-limited retries)`);
  const device = (await edgegram.connect(reader)).device;
  ctx.report(
    await measurePhase(ctx, ctx.contenders[0]!, {
      steady: false,
      scenario: ScenarioId.catchUp,
      label: `getDifference ${target - state.pts} updates`,
      unit: 'updates/s',
      throughput: (rep) => (rep.deliveries / rep.wallMs) * 1000,
      run: async () => {
        const t0 = performance.now();
        const r = await device.catchUp(state.pts);
        const ms = performance.now() - t0;
        const w = ctx.tracker.window;
        w.latencies.push(ms);
        w.deliveries += r.updates;
        if (r.pts !== target || r.tooLong) w.error(r.tooLong ? 'TOO_LONG' : 'INCOMPLETE');
        return { ms, bytes: r.bytes, pages: r.pages, updates: r.updates, generateSeconds: generateS };
      },
    }),
  );
  await edgegram.closeAll();
}
