import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * Process accounting from /proc (Linux only). CPU is utime+stime of every
 * thread of the process, so it covers workerd's I/O and SQLite threads too.
 */

let clockTicks: number | undefined;
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    const out = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    const n = Number(out.stdout?.trim());
    clockTicks = Number.isFinite(n) && n > 0 ? n : 100;
  }
  return clockTicks;
}

/** Fields after the command name, which may itself contain spaces and parentheses. */
function statFields(pid: number): string[] | null {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return null;
  }
}

/** Per-thread scheduler run time (ns, /proc/<pid>/task/<tid>/schedstat), and utime+stime. */
type CpuSample = { threads: Map<string, number>; ticksUs: number };

function sample(pid: number): CpuSample {
  const threads = new Map<string, number>();
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      threads.set(tid, Number(readFileSync(`/proc/${pid}/task/${tid}/schedstat`, 'utf8').split(' ')[0]));
    }
  } catch {
    threads.clear();
  }
  return { threads, ticksUs: tickMicros(pid) };
}

/**
 * CPU used between two samples, in microseconds: the same quantity as
 * utime+stime, but from the per-thread schedstat counters (nanoseconds), so
 * sub-second windows resolve; utime+stime (10 ms ticks) when a thread ended
 * in between (its schedstat is gone, its ticks are not) or schedstat is missing.
 */
function cpuBetween(a: CpuSample, b: CpuSample): number {
  if (a.threads.size === 0 || [...a.threads.keys()].some((tid) => !b.threads.has(tid))) return b.ticksUs - a.ticksUs;
  let ns = 0;
  for (const [tid, end] of b.threads) ns += end - (a.threads.get(tid) ?? 0);
  return ns / 1000;
}

/** utime+stime of the process in microseconds (resolution: one clock tick, usually 10 ms). */
export function tickMicros(pid: number): number {
  const f = statFields(pid);
  if (!f) return Number.NaN;
  // After ")": state(0) ppid(1) … utime(11) stime(12).
  return ((Number(f[11]) + Number(f[12])) / ticksPerSecond()) * 1e6;
}

/** Resident set size in bytes. */
export function rssBytes(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Bytes the process caused to be written to storage (/proc/<pid>/io write_bytes): SQLite pages, WAL, journal. */
export function writeBytes(pid: number): number {
  try {
    const m = /^write_bytes: (\d+)$/m.exec(readFileSync(`/proc/${pid}/io`, 'utf8'));
    return m ? Number(m[1]) : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

function commOf(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/comm`, 'utf8').trim();
  } catch {
    return null;
  }
}

/** Descendants of `root` whose command name is `comm` (e.g. the workerd that Miniflare spawned). */
export function findDescendants(root: number, comm: string): number[] {
  const parentOf = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    const f = statFields(pid);
    if (f) parentOf.set(pid, Number(f[1]));
  }
  const isDescendant = (pid: number): boolean => {
    for (let p = parentOf.get(pid); p !== undefined && p > 1; p = parentOf.get(p)) if (p === root) return true;
    return false;
  };
  return [...parentOf.keys()].filter((pid) => isDescendant(pid) && commOf(pid) === comm);
}

/** Measures a process's CPU and disk writes over an interval. */
export class CpuWindow {
  private readonly start: CpuSample;
  private readonly startWrites: number;
  private readonly startedAt = performance.now();

  constructor(private readonly pid: number) {
    this.start = sample(pid);
    this.startWrites = writeBytes(pid);
  }

  /** CPU microseconds used since the window opened (and as a share of one core), bytes written. */
  stop(): { cpuUs: number; wallMs: number; coreShare: number; writeBytes: number } {
    const cpuUs = cpuBetween(this.start, sample(this.pid));
    const wallMs = performance.now() - this.startedAt;
    return { cpuUs, wallMs, coreShare: cpuUs / (wallMs * 1000), writeBytes: writeBytes(this.pid) - this.startWrites };
  }
}
