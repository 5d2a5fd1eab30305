import { readFileSync, writeFileSync } from 'node:fs';
import { rssBytes } from './cpu.js';

/** Peak resident set size (VmHWM) in bytes, from /proc/<pid>/status. */
function highWaterBytes(pid: number): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/**
 * The peak RSS of a process over an interval. The kernel keeps the peak
 * itself (VmHWM); writing 5 to /proc/<pid>/clear_refs resets it to the
 * current RSS, so the peak covers exactly this interval, however briefly it
 * lasted. Where that is not allowed (another user's process, an old kernel)
 * the peak is sampled every `intervalMs` instead, and a shorter spike may
 * go unseen.
 */
export class PeakRss {
  readonly startBytes: number;
  private sampledPeak: number;
  private readonly exact: boolean;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly pid: number,
    intervalMs = 20,
  ) {
    this.exact = resetHighWater(pid);
    this.startBytes = rssBytes(pid);
    this.sampledPeak = this.startBytes;
    this.timer = setInterval(() => (this.sampledPeak = Math.max(this.sampledPeak, rssBytes(this.pid))), intervalMs);
  }

  /** The peak since construction, and how it was measured. */
  stop(): { peakBytes: number; startBytes: number; exact: boolean } {
    clearInterval(this.timer);
    const sampled = Math.max(this.sampledPeak, rssBytes(this.pid));
    const peakBytes = this.exact ? Math.max(sampled, highWaterBytes(this.pid)) : sampled;
    return { peakBytes, startBytes: this.startBytes, exact: this.exact };
  }
}

function resetHighWater(pid: number): boolean {
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return Number.isFinite(highWaterBytes(pid));
  } catch {
    return false;
  }
}
