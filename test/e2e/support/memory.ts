import { readdirSync, readFileSync } from 'node:fs';

/** A process of a group, with its resident memory. */
export type ProcessMemory = { pid: number; name: string; rssBytes: number };

/** Every live process of process group `pgid`, from /proc (Linux). */
export function groupMemory(pgid: number): ProcessMemory[] {
  const out: ProcessMemory[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) !== pgid || state === 'Z') continue;
      const rss = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${entry}/status`, 'utf8'));
      out.push({ pid: Number(entry), name, rssBytes: rss ? Number(rss[1]) * 1024 : 0 });
    } catch {
      // exited while we looked
    }
  }
  return out;
}

/**
 * Samples the summed RSS of a group's processes named `name` every
 * `intervalMs` until stopped; reports the peak.
 */
export function sampleMemory(pgid: number, name: string, intervalMs = 100) {
  const measure = () => groupMemory(pgid).filter((p) => p.name === name).reduce((sum, p) => sum + p.rssBytes, 0);
  let peak = measure();
  const samples: number[] = [peak];
  const timer = setInterval(() => {
    const now = measure();
    samples.push(now);
    peak = Math.max(peak, now);
  }, intervalMs);
  return {
    now: measure,
    /** The peak so far. */
    peak: () => peak,
    stop(): { peak: number; samples: number[] } {
      clearInterval(timer);
      peak = Math.max(peak, measure());
      return { peak, samples };
    },
  };
}
