import { measurePhase } from '../generator/measure.js';
import { ApiError } from '../lib/lean-client.js';
import { ScenarioId } from '../lib/types.js';
import type { EdgegramTarget } from '../targets/edgegram.js';
import { inParallel } from '../targets/target.js';
import { range, sleep, type ScenarioContext } from './context.js';

const SENDER_WINDOW = 4;
/** One message in this many carries the rare word. */
const RARE_EVERY = 1_000;
const PAGE = 20;

/**
 * Search: a group of `searchMessages` messages (from `searchSenders`
 * members, so the per-sender send limit paces no one for long), then
 * sequential queries over HTTP, each phase as long as a repetition:
 *   - a 20-message getHistory page: the baseline, the same path without search;
 *   - searchMessages for a word in one message of every thousand (rare);
 *   - searchMessages for a word in every message (common: the worst case, every row matches);
 *   - searchMessages for a three-letter prefix of the common word.
 * The details report each search's median latency over the baseline's.
 */
export async function search(ctx: ScenarioContext, edgegram: EdgegramTarget): Promise<void> {
  const { sizes } = ctx;
  const http = edgegram.http;
  const [owner, ...senders] = edgegram.take(sizes.searchSenders + 1);
  if (!owner) throw new Error('search needs accounts');
  const { chat } = await http.call<{ chat: { id: number } }>(owner.tokens[0]!, 'createGroup', {
    title: 'bench search',
    user_ids: senders.map((s) => s.userId),
  });
  const perSender = Math.ceil(sizes.searchMessages / senders.length);
  const started = performance.now();
  let rateLimited = 0;
  await inParallel(senders, senders.length, async (account) => {
    // Numbered 0 … total-1 across the senders, so the rare word's count is known.
    const first = senders.indexOf(account) * perSender;
    await inParallel(range(perSender), SENDER_WINDOW, async (i) => {
      const n = first + i;
      const rare = n % RARE_EVERY === 0 ? ' zephyr' : '';
      const params = { peer: { chat_id: chat.id }, random_id: `se${account.index}x${i}`, text: `status report ${n} for the week${rare}` };
      for (;;) {
        try {
          await http.call(account.tokens[0]!, 'sendMessage', params);
          return;
        } catch (err) {
          if (!(err instanceof ApiError) || err.code !== 'RATE_LIMITED') throw err;
          rateLimited++;
          await sleep(200);
        }
      }
    });
  });
  const total = perSender * senders.length;
  ctx.log(`search: ${total} messages written in ${((performance.now() - started) / 1000).toFixed(1)} s (${rateLimited} rate-limited retries)`);

  const queries: { label: string; method: string; params: Record<string, unknown>; expect: (found: number) => boolean }[] = [
    { label: `getHistory ${PAGE} (baseline)`, method: 'getHistory', params: { chat_id: chat.id, limit: PAGE }, expect: (n) => n === PAGE },
    {
      label: `search rare word in ${total}`,
      method: 'searchMessages',
      params: { chat_id: chat.id, query: 'zephyr', limit: PAGE },
      expect: (n) => n === Math.min(PAGE, Math.ceil(total / RARE_EVERY)),
    },
    { label: `search common word in ${total}`, method: 'searchMessages', params: { chat_id: chat.id, query: 'status', limit: PAGE }, expect: (n) => n === PAGE },
    { label: `search prefix "sta" in ${total}`, method: 'searchMessages', params: { chat_id: chat.id, query: 'sta', limit: PAGE }, expect: (n) => n === PAGE },
  ];
  for (const q of queries) {
    ctx.report(
      await measurePhase(ctx, ctx.contenders[0]!, {
        steady: false,
        scenario: ScenarioId.search,
        label: q.label,
        unit: 'queries/s',
        run: async (_active, durationMs) => {
          const w = ctx.tracker.window;
          const until = performance.now() + durationMs;
          while (performance.now() < until) {
            const t0 = performance.now();
            const { messages } = await http.call<{ messages: unknown[] }>(owner.tokens[0]!, q.method, q.params);
            w.latencies.push(performance.now() - t0);
            w.deliveries++;
            if (!q.expect(messages.length)) w.error('WRONG_RESULT');
          }
        },
      }),
    );
  }
}
