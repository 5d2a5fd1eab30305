import type { machine } from './machine.js';
import type { Pinning } from './pinning.js';
import { catchUpCheck, checks, checksTable, details, largeChatReport, lpad, skippedList, table } from './report.js';
import type { Phase, Skipped } from './types.js';

/** With --profile: where the server's JavaScript time went, per phase. */
export function profiles(phases: Phase[]): string {
  const out: string[] = [];
  for (const p of phases) {
    if (!p.profile) continue;
    const { split, topSelf, topInclusive } = p.profile;
    out.push(
      `${p.target} ${p.label}: samples idle ${split.idle}%, runtime (unattributed C++) ${split.runtime}%, GC ${split.gc}%, SQLite ${split.sqlite}%`,
      `  self (natives charged to the caller; sql = inside SQLite):`,
      ...topSelf.slice(0, 8).map((f) => `    ${lpad(f.pct.toFixed(1), 5)}%  (sql ${f.sqlPct.toFixed(1)}%)  ${f.fn}`),
      `  inclusive:`,
      ...topInclusive.slice(0, 8).map((f) => `    ${lpad(f.pct.toFixed(1), 5)}%  ${f.fn}`),
    );
  }
  return out.join('\n');
}

export type RenderInput = {
  command: string;
  seconds: number;
  /** Wall time per step of the run (bundles, server start, each scenario …), seconds. */
  wall: Record<string, number>;
  startedAt: Date;
  host: ReturnType<typeof machine>;
  bun: string;
  pinning: Pinning;
  phases: Phase[];
  skipped: Skipped[];
};

/** The whole printed report. */
export function render(r: RenderInput): string {
  const { host, phases } = r;
  const list = checks(phases);
  const sections = [
    '',
    `${r.command}  ${r.startedAt.toISOString()}  ${r.seconds.toFixed(0)} s (${Math.floor(r.seconds / 60)} min ${Math.round(r.seconds % 60)} s)`,
    `wall time by step (s): ${Object.entries(r.wall).map(([k, v]) => `${k} ${v.toFixed(1)}`).join(', ')}`,
    `machine: ${host.cores} × ${host.cpu}, ${host.memoryGiB} GiB, load average ${host.loadAverageAtStart.join(' ')} (at the end; the machine is shared); node ${host.node}, workerd ${host.workerd}, bun ${r.bun}`,
    `disk: state dirs under ${host.disk.dir} on ${host.disk.device} (${host.disk.fsType}), rotational=${host.disk.rotational}: ${host.disk.note}`,
    `pinning: ${r.pinning.note}`,
    '',
    table(phases),
    '',
    'throughput: median of 3 repetitions ± half their spread; p50/p99/p99.9: send → arrival on each receiving socket (ms); last p99: send → arrival',
    'on the last socket; µs CPU/dl: server CPU (utime+stime, /proc) per delivered message; KiB wr/dl: server disk writes per delivery; rows/dl: SQLite rows written per delivery as the runtime counts them for billing (Edgegram only);',
    "gen CPU: the load generator's own core use ('!' above 85%: the client may be the limit).",
    '',
    details(phases),
    '',
    list.length ? checksTable(list) : '',
    catchUpCheck(phases) ?? '',
    '',
    largeChatReport(phases),
    profiles(phases),
    '',
    r.skipped.length ? `skipped:\n${skippedList(r.skipped)}` : '',
  ];
  return sections.join('\n');
}
