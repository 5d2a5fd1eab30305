import { measurePhase, type Contender } from '../generator/measure.js';
import { rssBytes } from '../lib/cpu.js';
import { ScenarioId, TargetName } from '../lib/types.js';
import { sleep, type ScenarioContext } from './context.js';

/** Settling time for servers that do not hibernate. */
const SETTLE_MS = 2_000;

/**
 * Idle connections, opened in steps (1k, 5k, 10k …) spread over a fixed set
 * of Edgegram mailboxes (accounts) or rooms, and left idle until the workerd
 * targets have hibernated their objects (~10 s without events). Memory per
 * connection: server RSS growth since the scenario began / connections, and
 * (from the second step on) the growth between steps / connections added,
 * which leaves out one-time growth (heap headroom, caches).
 */
export async function connections(ctx: ScenarioContext): Promise<void> {
  // Memory is per process: one target per server (the orchestrator starts a
  // fresh one each, all at once). The targets connect one at a time (their
  // connects share the server core), but wait for hibernation together: the
  // idle waits, not the connects, are most of this scenario's time.
  const turns = new Turns(ctx.sizes.connectionLevels.length, ctx.contenders.length);
  await Promise.all(ctx.contenders.map((contender, i) => connectionsOf(ctx, contender, (level, connect) => turns.take(level, i, connect))));
}

/** Per level, contender i connects only after contender i - 1 has finished connecting. */
class Turns {
  private readonly done: { promise: Promise<void>; resolve: () => void }[][];
  constructor(levels: number, contenders: number) {
    this.done = Array.from({ length: levels }, () =>
      Array.from({ length: contenders }, () => {
        let resolve!: () => void;
        const promise = new Promise<void>((r) => (resolve = r));
        return { promise, resolve };
      }),
    );
  }

  async take(level: number, index: number, connect: () => Promise<void>): Promise<void> {
    if (index > 0) await this.done[level]![index - 1]!.promise;
    try {
      await connect();
    } finally {
      this.done[level]![index]!.resolve();
    }
  }
}

type TakeTurn = (level: number, connect: () => Promise<void>) => Promise<void>;

async function connectionsOf(ctx: ScenarioContext, contender: Contender<null>, turn: TakeTurn): Promise<void> {
  const { sizes } = ctx;
  const { target, serverPid } = contender;
  const workerd = target.name === TargetName.edgegram || target.name === TargetName.minimal;
  const owners = sizes.connectionOwners;
  const baseline = rssBytes(serverPid);
  let open = 0;
  let lastRss = baseline;
  for (const [levelIndex, level] of sizes.connectionLevels.entries()) {
    ctx.report(
      await measurePhase(ctx, contender, {
        scenario: ScenarioId.connections,
        label: `${level} idle sockets / ${owners} ${target.name === TargetName.edgegram ? 'mailboxes' : 'rooms'}`,
        unit: 'connects/s',
        reps: 1,
        warmup: false,
        steady: false,
        throughput: (rep) => rep.extra.connectsPerSec ?? Number.NaN,
        run: async () => {
          const fresh = level - open;
          let connectMs = 0;
          await turn(levelIndex, async () => {
            const started = performance.now();
            await target.openIdle(fresh, owners);
            connectMs = performance.now() - started;
          });
          await sleep(workerd ? sizes.hibernateWaitMs : SETTLE_MS);
          const rss = rssBytes(serverPid);
          const extra: Record<string, number> = {
            connections: level,
            connectsPerSec: (fresh / connectMs) * 1000,
            rssMiB: rss / 2 ** 20,
            bytesPerConn: (rss - baseline) / level,
          };
          if (open > 0) extra.stepBytesPerConn = (rss - lastRss) / fresh;
          open = level;
          lastRss = rss;
          return extra;
        },
      }),
    );
  }
  await target.closeAll();
}
