import { measurePhase } from '../generator/measure.js';
import { Device } from '../lib/lean-client.js';
import { ScenarioId } from '../lib/types.js';
import type { EdgegramTarget, PoolAccount } from '../targets/edgegram.js';
import { inParallel } from '../targets/target.js';
import { range, sleep, type ScenarioContext } from './context.js';

const CONNECT_ATTEMPTS = 3;

type Client = { account: PoolAccount; device: Device | null; pts: number; serverPts: number };

/**
 * Reconnect storm: every account's device drops at once (no close
 * handshake); while they are away each gets a few messages; then all
 * reconnect together (ticket, socket, getDifference until caught up).
 * Measured: time until the last one has caught up, per-client times, errors.
 */
export async function reconnectStorm(ctx: ScenarioContext, edgegram: EdgegramTarget): Promise<void> {
  const { sizes } = ctx;
  const http = edgegram.http;
  const clients: Client[] = edgegram.accounts.map((account) => ({ account, device: null, pts: 0, serverPts: 0 }));
  const ptsOf = async (c: Client) => (await http.call<{ pts: number }>(c.account.tokens[0]!, 'getState', {})).pts;
  await inParallel(clients, 16, async (c) => {
    c.device = await Device.connect(http, c.account.tokens[0]!);
    c.pts = await ptsOf(c);
  });
  let round = 0;

  const before = async () => {
    for (const c of clients) c.device?.drop();
    await sleep(500);
    // While away: account 2k writes to account 2k+1 (both get the updates).
    const pairs = range(Math.floor(clients.length / 2)).map((k) => [clients[2 * k]!, clients[2 * k + 1]!] as const);
    round++;
    await inParallel(pairs, 8, async ([from, to]) => {
      for (const i of range(sizes.stormMissedPerChat)) {
        await http.call(from.account.tokens[0]!, 'sendMessage', {
          peer: { user_id: to.account.userId },
          random_id: `storm${round}x${i}`,
          text: `missed ${i}`,
        });
      }
    });
    // Fan-out is asynchronous: wait until every mailbox is still.
    for (let settled = false; !settled; ) {
      settled = true;
      await inParallel(clients, 16, async (c) => {
        const pts = await ptsOf(c);
        if (pts !== c.serverPts) settled = false;
        c.serverPts = pts;
      });
    }
  };

  ctx.report(
    await measurePhase(ctx, ctx.contenders[0]!, {
      steady: false,
      // Every repetition is a full storm; the scenario's own setup already warmed the accounts.
      warmup: false,
      scenario: ScenarioId.reconnect,
      label: `${clients.length} clients reconnect`,
      unit: 'clients/s',
      before,
      throughput: (rep) => ((rep.extra.clients ?? 0) / (rep.extra.lastCaughtUpMs ?? Number.NaN)) * 1000,
      run: async () => {
        const w = ctx.tracker.window;
        const t0 = performance.now();
        let last = 0;
        await Promise.all(
          clients.map(async (c) => {
            for (let attempt = 1; ; attempt++) {
              try {
                c.device = await Device.connect(http, c.account.tokens[0]!);
                const r = await c.device.catchUp(c.pts);
                c.pts = r.pts;
                w.deliveries += r.updates;
                if (r.pts !== c.serverPts) w.error('NOT_CAUGHT_UP');
                break;
              } catch (err) {
                w.error((err as { code?: string }).code ?? 'CONNECT_FAILED');
                if (attempt >= CONNECT_ATTEMPTS) return;
                await sleep(100 * attempt);
              }
            }
            const at = performance.now() - t0;
            w.latencies.push(at);
            last = Math.max(last, at);
          }),
        );
        return { clients: clients.length, lastCaughtUpMs: last };
      },
    }),
  );
  await Promise.all(clients.map((c) => c.device?.close()));
}
