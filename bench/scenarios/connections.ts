import { CpuWindow, rssBytes } from '../lib/cpu.js';
import { percentiles } from '../lib/stats.js';
import { summarizePhase, type Contender } from '../generator/measure.js';
import { ScenarioId, TargetName, type Rep } from '../lib/types.js';
import { EdgegramTarget } from '../targets/edgegram.js';
import { sleep, type ScenarioContext } from './context.js';

/** Settling time for servers that do not hibernate. */
const SETTLE_MS = 2_000;

type Open = { contender: Contender<null>; connectedAt: number; connectMs: number; fresh: number; cpu: CpuWindow; generatorCpu: number; errors: number; retries: number };

const retriesOf = (c: Contender<null>) => (c.target instanceof EdgegramTarget ? c.target.connectRetries : 0);
const failuresOf = (c: Contender<null>) => (c.target instanceof EdgegramTarget ? c.target.connectFailures : 0);

/**
 * Idle connections, opened in steps (1k, 5k, 10k …) spread over a fixed set
 * of Edgegram mailboxes (accounts) or rooms, then left idle until the
 * workerd targets have hibernated their objects (~10 s without events).
 * Memory per connection: server RSS growth since the scenario began /
 * connections, and (from the second step on) the growth between steps /
 * connections added, which leaves out one-time growth (heap headroom, caches).
 *
 * Memory is per process, so every target here runs in a fresh server of its
 * own (the orchestrator starts them with the others). The idle wait is
 * shared: `step()` opens the next level's sockets (targets one at a time,
 * nothing else running, so connects/s is clean), and the generator runs
 * another scenario, on other server processes, while these sit idle;
 * the next `step()` (or `finish()`) waits out whatever is left of the
 * hibernation time, reads each server's RSS and reports the level. The
 * idle servers' own CPU and RSS are all that is read, and nothing else
 * touches them meanwhile.
 */
/**
 * Sockets the generator holds open at once: its descriptor limit here is
 * 20,000, so targets whose levels would sum past this take turns (in the
 * full run, 10k each: one target after another), each one's sockets closed
 * before the next batch connects.
 */
const MAX_OPEN_SOCKETS = 15_000;

export class IdleConnections {
  private readonly batches: Contender<null>[][] = [];
  private batch = 0;
  private level = 0;
  private open: Open[] = [];
  private readonly baseline: number[];
  private readonly lastRss: number[];
  private openCount = 0;

  constructor(
    private readonly ctx: ScenarioContext,
    private readonly contenders: Contender<null>[],
  ) {
    this.baseline = contenders.map((c) => rssBytes(c.serverPid));
    this.lastRss = [...this.baseline];
    const top = Math.max(...ctx.sizes.connectionLevels);
    for (const c of contenders) {
      const last = this.batches.at(-1);
      if (last && (last.length + 1) * top <= MAX_OPEN_SOCKETS) last.push(c);
      else this.batches.push([c]);
    }
  }

  get done(): boolean {
    return this.batch >= this.batches.length && this.open.length === 0;
  }

  /** Reports the level in progress (if any), then opens the next one (if any). */
  async step(): Promise<void> {
    await this.report();
    const levels = this.ctx.sizes.connectionLevels;
    if (this.level >= levels.length) {
      // This batch is done: its sockets go before the next batch connects.
      for (const c of this.batches[this.batch] ?? []) await c.target.closeAll();
      this.batch++;
      this.level = 0;
      this.openCount = 0;
    }
    const batch = this.batches[this.batch];
    const level = levels[this.level];
    if (!batch || level === undefined) return;
    this.level++;
    const fresh = level - this.openCount;
    for (const contender of batch) {
      const cpu = new CpuWindow(contender.serverPid);
      const self = process.cpuUsage();
      const started = performance.now();
      let errors = 0;
      const retriesBefore = retriesOf(contender);
      const failuresBefore = failuresOf(contender);
      try {
        await contender.target.openIdle(fresh, this.ctx.sizes.connectionOwners);
      } catch (err) {
        errors++;
        const cause = err instanceof Error && err.cause ? ` (${String(err.cause)})` : '';
        this.ctx.log(`${contender.target.name}: opening ${fresh} idle sockets failed: ${String(err)}${cause}`);
      }
      const connectMs = performance.now() - started;
      const retries = retriesOf(contender) - retriesBefore;
      errors += failuresOf(contender) - failuresBefore;
      if (retries > 0) this.ctx.log(`${contender.target.name}: ${retries} of ${fresh} idle connects needed a retry`);
      const own = process.cpuUsage(self);
      this.open.push({ contender, connectedAt: performance.now(), connectMs, fresh, cpu, generatorCpu: (own.user + own.system) / (connectMs * 1000), errors, retries });
    }
    this.openCount = level;
  }

  /** Every remaining level, one after another, then the sockets closed. */
  async finish(): Promise<void> {
    while (!this.done) await this.step();
  }

  private async report(): Promise<void> {
    if (this.open.length === 0) return;
    const level = this.openCount;
    const first = this.level === 1;
    for (const o of this.open) {
      const { target, serverPid } = o.contender;
      const workerd = target.name === TargetName.edgegram || target.name === TargetName.minimal;
      const waitMs = workerd ? this.ctx.sizes.hibernateWaitMs : SETTLE_MS;
      const left = o.connectedAt + waitMs - performance.now();
      if (left > 0) await sleep(left);
      const i = this.contenders.indexOf(o.contender);
      const rss = rssBytes(serverPid);
      const cpu = o.cpu.stop();
      const extra: Record<string, number> = {
        connections: level,
        connectsPerSec: (o.fresh / o.connectMs) * 1000,
        rssMiB: rss / 2 ** 20,
        bytesPerConn: (rss - this.baseline[i]!) / level,
        cpuUsPerConn: cpu.cpuUs / o.fresh,
        idleMs: performance.now() - o.connectedAt,
        connectRetries: o.retries,
      };
      if (!first) extra.stepBytesPerConn = (rss - this.lastRss[i]!) / o.fresh;
      this.lastRss[i] = rss;
      const empty = percentiles([]);
      const rep: Rep = {
        wallMs: cpu.wallMs,
        sends: 0,
        acks: 0,
        deliveries: 0,
        errors: o.errors,
        errorCodes: o.errors ? { CONNECT_FAILED: o.errors } : {},
        serverCpuUs: cpu.cpuUs,
        serverWriteBytes: cpu.writeBytes,
        generatorCpuShare: o.generatorCpu,
        latency: empty,
        lastLatency: empty,
        ackLatency: empty,
        extra,
      };
      this.ctx.report(
        summarizePhase(target, {
          scenario: ScenarioId.connections,
          label: `${level} idle sockets / ${this.ctx.sizes.connectionOwners} ${target.name === TargetName.edgegram ? 'mailboxes' : 'rooms'}`,
          unit: 'connects/s',
          throughput: (r) => r.extra.connectsPerSec ?? Number.NaN,
          run: async () => {},
        }, [rep], undefined),
      );
    }
    this.open = [];
  }
}
