import type { Summary } from './stats.js';
import { ScenarioId, TargetName, type Phase, type Skipped } from './types.js';

/** One target check: Edgegram against (a), the runtime's own limit, in the same run. */
export type Check = {
  what: string;
  phase: string;
  edgegram: number;
  baseline: number;
  ratio: number;
  /** The target the ratio must meet, as text ("≥ 0.8"). */
  target: string;
  pass: boolean;
};

const UNITS: Record<string, string> = {
  'deliveries/s': 'dl/s',
  'acked sends/s': 'ack/s',
  'connects/s': 'conn/s',
  'updates/s': 'upd/s',
  'clients/s': 'cli/s',
};

/**
 * Media memory is flat when Edgegram's peak RSS grows during a transfer by
 * at most this much more than plain R2's: a few parts' worth (four 8 MiB
 * parts in flight), never the file.
 */
const MEDIA_RSS_SLACK_MIB = 64;

const median = (values: number[]) => {
  const sorted = values.filter(Number.isFinite).sort((x, y) => x - y);
  if (sorted.length === 0) return Number.NaN;
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const num = (v: number, digits = 1) =>
  !Number.isFinite(v) ? '—' : v >= 100 ? Math.round(v).toString() : v.toFixed(digits);
const pct = (s: Summary) => (Number.isFinite(s.spread) && s.n > 1 ? `±${Math.round((s.spread * 100) / 2)}%` : '');
export const pad = (s: string, n: number) => (s.length >= n ? s : s + ' '.repeat(n - s.length));
export const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s);

/** The main table: one row per phase and target, medians of the repetitions (± half the spread). */
export function table(phases: Phase[]): string {
  const head = [
    pad('phase', 34),
    pad('target', 13),
    lpad('throughput', 17),
    lpad('p50 ms', 8),
    lpad('p99 ms', 8),
    lpad('p99.9', 8),
    lpad('last p99', 9),
    lpad('µs CPU/dl', 10),
    lpad('KiB wr/dl', 10),
    lpad('rows/dl', 8),
    lpad('gen CPU', 8),
    lpad('err', 5),
  ].join(' ');
  const rows = phases.map((p) => {
    const s = p.summary;
    const tput = `${num(s.throughput.median)} ${UNITS[p.unit] ?? p.unit} ${pct(s.throughput)}`.trim();
    return [
      pad(p.label, 34),
      pad(p.target, 13),
      lpad(tput, 17),
      lpad(num(s.p50.median, 2), 8),
      lpad(num(s.p99.median, 2), 8),
      lpad(num(s.p999.median, 2), 8),
      lpad(num(s.lastP99.median, 2), 9),
      lpad(num(s.cpuPerDelivery.median), 10),
      lpad(num(s.writeKiBPerDelivery.median, 2), 10),
      lpad(num(s.extra.rowsPerDelivery?.median ?? Number.NaN, 2), 8),
      lpad(`${Math.round(s.generatorCpu.median * 100)}%${p.generatorSaturated ? '!' : ''}`, 8),
      lpad(String(s.errors), 5),
    ].join(' ');
  });
  return [head, '-'.repeat(head.length), ...rows].join('\n');
}

/** Scenario-specific figures: memory per connection, catch-up bytes, storm timings. */
export function details(phases: Phase[]): string {
  const lines: string[] = [];
  for (const p of phases) {
    const x = p.summary.extra;
    const m = (k: string) => x[k]?.median ?? Number.NaN;
    if (p.scenario === ScenarioId.connections) {
      const step = x.stepBytesPerConn ? `  step ${num(m('stepBytesPerConn') / 1024, 2)} KiB/conn` : '';
      const cpu = `  ${num(m('cpuUsPerConn'))} µs CPU/conn`;
      lines.push(
        `${pad(p.target, 13)} ${pad(p.label, 34)} since start ${num(m('bytesPerConn') / 1024, 2)} KiB/conn${step}  RSS ${num(m('rssMiB'))} MiB  ${num(m('connectsPerSec'))} connects/s${cpu}`,
      );
    } else if (p.scenario === ScenarioId.catchUp) {
      lines.push(
        `${pad(p.target, 13)} ${pad(p.label, 34)} ${num(m('ms'))} ms ${pct(x.ms ?? p.summary.p50)}  ${num(m('bytes') / 1024)} KiB in ${num(m('pages'), 0)} pages  (generated in ${num(m('generateSeconds'))} s)`,
      );
    } else if (p.scenario === ScenarioId.media) {
      const cpuPerGB = median(p.reps.map((r) => r.serverCpuUs / 1e6 / ((r.extra.bytes ?? Number.NaN) / 1e9)));
      const verified = p.reps.every((r) => r.extra.verified === 1) ? 'SHA-256 verified' : 'SHA-256 MISMATCH';
      lines.push(
        `${pad(p.target, 13)} ${pad(p.label, 34)} ${num(m('mbPerSec'))} MB/s ${pct(x.mbPerSec ?? p.summary.throughput)}  ${num(m('seconds'))} s  ` +
          `peak RSS ${num(m('peakRssMiB'))} MiB (+${num(m('growthMiB'))} during the transfer)  server CPU ${num(cpuPerGB, 2)} s/GB  ${verified}`,
      );
    } else if (p.scenario === ScenarioId.reconnect) {
      lines.push(
        `${pad(p.target, 13)} ${pad(p.label, 34)} last caught up after ${num(m('lastCaughtUpMs'))} ms ${pct(x.lastCaughtUpMs ?? p.summary.p50)}  errors ${p.summary.errors}`,
      );
    }
  }
  lines.push(...mediaRatios(phases), ...searchRatios(phases));
  return lines.join('\n');
}

/** Per search phase: its median latency over the same run's getHistory page (the baseline phase). */
function searchRatios(phases: Phase[]): string[] {
  const ofSearch = phases.filter((p) => p.scenario === ScenarioId.search);
  const baseline = ofSearch.find((p) => p.label.endsWith('(baseline)'));
  if (!baseline) return [];
  return ofSearch
    .filter((p) => p !== baseline)
    .map((p) => `${pad(p.label, 34)} p50 ${num(p.summary.p50.median, 2)} ms, ${num(p.summary.p50.median / baseline.summary.p50.median, 2)} × a history page (${num(baseline.summary.p50.median, 2)} ms)`);
}

/** Per media phase: Edgegram's throughput over plain R2's, in parts (the check) and in one request (reference). */
function mediaRatios(phases: Phase[]): string[] {
  const A = TargetName.minimal;
  const tput = (p: Phase | undefined) => p?.summary.throughput.median ?? Number.NaN;
  return phases
    .filter((p) => p.scenario === ScenarioId.media && p.target === TargetName.edgegram)
    .map((e) => {
      const parts = find(phases, A, (p) => p.scenario === e.scenario && p.label === e.label);
      const single = find(phases, A, (p) => p.scenario === e.scenario && p.label === `${e.label}, one request`);
      return `${pad(e.label, 22)} Edgegram / plain R2: ${num(tput(e) / tput(parts), 2)} of multipart (${num(tput(parts))} MB/s), ${num(tput(e) / tput(single), 2)} of one request (${num(tput(single))} MB/s)`;
    });
}

function find(phases: Phase[], target: TargetName, pred: (p: Phase) => boolean): Phase | undefined {
  return phases.find((p) => p.target === target && pred(p));
}

/** Edgegram vs (a) for every phase both ran. */
export function checks(phases: Phase[]): Check[] {
  const out: Check[] = [];
  const E = TargetName.edgegram;
  const A = TargetName.minimal;
  for (const e of phases.filter((p) => p.target === E)) {
    const a =
      e.scenario === ScenarioId.connections
        ? find(phases, A, (p) => p.scenario === e.scenario && p.summary.extra.connections?.median === e.summary.extra.connections?.median)
        : find(phases, A, (p) => p.scenario === e.scenario && p.label === e.label);
    if (!a) continue;
    const add = (what: string, ev: number, av: number, ratio: number, target: string, pass: boolean) =>
      out.push({ what, phase: e.label, edgegram: ev, baseline: av, ratio, target, pass });
    if (e.scenario === ScenarioId.media) {
      // (a) here is plain R2 in the same multipart shape; its one-request run is in the details.
      const et = e.summary.throughput.median;
      const at = a.summary.throughput.median;
      add('throughput (MB/s) vs plain R2', et, at, et / at, '≥ 0.8', et / at >= 0.8);
      const eg = e.summary.extra.growthMiB?.median ?? Number.NaN;
      const ag = a.summary.extra.growthMiB?.median ?? Number.NaN;
      add('peak RSS growth (MiB) vs plain R2', eg, ag, eg / ag, `≤ +${MEDIA_RSS_SLACK_MIB}`, eg <= ag + MEDIA_RSS_SLACK_MIB);
      continue;
    }
    const isIdle = e.label.endsWith(' idle');
    const isLoaded = /ceiling| x\d+$|ingress|chats/.test(e.label);
    if (isLoaded) {
      const et = e.summary.throughput.median;
      const at = a.summary.throughput.median;
      add(`throughput (${e.unit})`, et, at, et / at, '≥ 0.8', et / at >= 0.8);
      const ec = e.summary.cpuPerDelivery.median;
      const ac = a.summary.cpuPerDelivery.median;
      add('CPU efficiency ((a) µs / E µs per delivery)', ec, ac, ac / ec, '≥ 0.8', ac / ec >= 0.8);
    }
    if (e.scenario === ScenarioId.oneToOne && (isIdle || e.label.includes('offered'))) {
      const ep = e.summary.p99.median;
      const ap = a.summary.p99.median;
      add('send-to-deliver p99 (ms)', ep, ap, ep / ap, '≤ 1.5', ep / ap <= 1.5);
    }
    if (e.scenario === ScenarioId.fanOut && isIdle) {
      const ep = e.summary.lastP99.median;
      const ap = a.summary.lastP99.median;
      add('send-to-last-delivery p99 (ms)', ep, ap, ep / ap, '≤ 1.5', ep / ap <= 1.5);
    }
    if (e.scenario === ScenarioId.connections) {
      // The step between levels leaves out one-time growth; the first level has only "since start".
      const key = e.summary.extra.stepBytesPerConn && a.summary.extra.stepBytesPerConn ? 'stepBytesPerConn' : 'bytesPerConn';
      const em = e.summary.extra[key]?.median ?? Number.NaN;
      const am = a.summary.extra[key]?.median ?? Number.NaN;
      const what = `memory per idle hibernated conn (bytes, ${key === 'stepBytesPerConn' ? 'step' : 'since start'})`;
      add(what, em, am, em / am, '≤ 1.2', em / am <= 1.2);
    }
  }
  return out;
}

/** The absolute target: catch-up of 10,000 updates under 200 ms locally. */
export function catchUpCheck(phases: Phase[]): string | null {
  const p = phases.find((x) => x.scenario === ScenarioId.catchUp);
  if (!p) return null;
  const ms = p.summary.extra.ms?.median ?? Number.NaN;
  const updates = p.summary.extra.updates?.median ?? 0;
  if (updates < 10_000) return `catch-up: ${num(ms)} ms for ${updates} updates (the 200 ms target is for 10,000: run without --quick)`;
  return `catch-up: ${num(ms)} ms for ${updates} updates, target < 200 ms: ${ms < 200 ? 'PASS' : 'MISS'}`;
}

export function checksTable(list: Check[]): string {
  const head = `${pad('target check', 46)} ${pad('phase', 30)} ${lpad('edgegram', 10)} ${lpad('(a)', 10)} ${lpad('ratio', 7)}  need    result`;
  const rows = list.map(
    (c) =>
      `${pad(c.what, 46)} ${pad(c.phase, 30)} ${lpad(num(c.edgegram), 10)} ${lpad(num(c.baseline), 10)} ${lpad(num(c.ratio, 2), 7)}  ${pad(c.target, 6)}  ${c.pass ? 'PASS' : 'MISS'}`,
  );
  return [head, '-'.repeat(head.length), ...rows].join('\n');
}

export function skippedList(skipped: Skipped[]): string {
  return skipped.map((s) => `- ${s.target} ${s.label}: ${s.reason}`).join('\n');
}


/**
 * The large-chat scenario's figures and its targets (issue 15), all from
 * this run: per chat size, the sender's ack and the time to the last online
 * delivery at rest, throughput and CPU per delivery under load, and the most
 * rows and calls the ChatRoom spent on one message and mailboxes one shard
 * pushed one message to; then the ratios: ack at the largest size against
 * the 2-member chat's (≤ 1.2), CPU per delivery at the largest against the
 * next size down with the same online audience (≤ 1.2), and the catch-up.
 */
export function largeChatReport(phases: Phase[]): string {
  const of = phases.filter((p) => p.scenario === ScenarioId.largeChats && p.target === TargetName.edgegram);
  if (of.length === 0) return '';
  const bySize = new Map<number, { idle?: Phase; loaded?: Phase }>();
  for (const p of of) {
    const m = /^large chat (\d+) (idle|x\d+)$/.exec(p.label);
    if (!m) continue;
    const entry = bySize.get(Number(m[1])) ?? {};
    if (m[2] === 'idle') entry.idle = p;
    else entry.loaded = p;
    bySize.set(Number(m[1]), entry);
  }
  const ack = (p: Phase | undefined, q: 'p50' | 'p99') => median((p?.reps ?? []).map((r) => r.ackLatency[q]));
  const last = (p: Phase | undefined, q: 'p50' | 'p99') => median((p?.reps ?? []).map((r) => r.lastLatency[q]));
  const extra = (p: Phase | undefined, k: string) => Math.max(...(p?.reps ?? []).map((r) => r.extra[k] ?? Number.NaN));
  const head = `${pad('members', 9)} ${lpad('online', 7)} ${lpad('ack p50', 8)} ${lpad('ack p99', 8)} ${lpad('last p50', 9)} ${lpad('last p99', 9)} ${lpad('dl/s x8', 9)} ${lpad('ack p99 x8', 11)} ${lpad('µs CPU/dl', 10)} ${lpad('room rows', 10)} ${lpad('room calls', 11)} ${lpad('shard pushes', 13)}`;
  const rows = [...bySize.entries()]
    .sort(([a], [b]) => a - b)
    .map(([size, { idle, loaded }]) =>
      [
        pad(String(size), 9),
        lpad(num(extra(idle, 'online'), 0), 7),
        lpad(num(ack(idle, 'p50'), 2), 8),
        lpad(num(ack(idle, 'p99'), 2), 8),
        lpad(num(last(idle, 'p50'), 2), 9),
        lpad(num(last(idle, 'p99'), 2), 9),
        lpad(num(loaded?.summary.throughput.median ?? Number.NaN), 9),
        lpad(num(ack(loaded, 'p99'), 2), 11),
        lpad(num(loaded?.summary.cpuPerDelivery.median ?? Number.NaN), 10),
        lpad(num(Math.max(extra(idle, 'roomRowsPerMessage'), extra(loaded, 'roomRowsPerMessage')), 0), 10),
        lpad(num(Math.max(extra(idle, 'roomCallsPerMessage'), extra(loaded, 'roomCallsPerMessage')), 0), 11),
        lpad(num(Math.max(extra(idle, 'shardPushesPerMessage'), extra(loaded, 'shardPushesPerMessage')), 0), 13),
      ].join(' '),
    );
  const sizes = [...bySize.keys()].sort((a, b) => a - b);
  const smallest = bySize.get(sizes[0]!);
  const biggest = bySize.get(sizes.at(-1)!);
  const below = sizes.length > 1 ? bySize.get(sizes.at(-2)!) : undefined;
  const verdict = (ratio: number, need: number) => `${num(ratio, 2)} (need ≤ ${need}): ${ratio <= need ? 'PASS' : 'MISS'}`;
  const lines = [
    'large chats (supergroups, the same online audience; ack, last: one message at a time, at rest (each after the previous one\'s deliveries and as long again); ack: send → ack; last: send → arrival on the last online socket; x8: 8 in flight; room rows/calls: the most the ChatRoom wrote and called for one message; shard pushes: the most mailboxes one shard pushed one message to):',
    head,
    '-'.repeat(head.length),
    ...rows,
    `sender's ack p50 at ${sizes.at(-1)} vs ${sizes[0]} members: ${verdict(ack(biggest?.idle, 'p50') / ack(smallest?.idle, 'p50'), 1.2)}`,
    `sender's ack p99 at ${sizes.at(-1)} vs ${sizes[0]} members: ${verdict(ack(biggest?.idle, 'p99') / ack(smallest?.idle, 'p99'), 1.2)}`,
  ];
  if (below) {
    const ratio = (biggest?.loaded?.summary.cpuPerDelivery.median ?? Number.NaN) / (below.loaded?.summary.cpuPerDelivery.median ?? Number.NaN);
    lines.push(`server CPU per delivery (x8) at ${sizes.at(-1)} vs ${sizes.at(-2)} members: ${verdict(ratio, 1.2)}`);
  }
  const catchUp = of.find((p) => p.label.startsWith('large chat catch-up'));
  if (catchUp) {
    const ms = catchUp.summary.extra.ms?.median ?? Number.NaN;
    const updates = catchUp.summary.extra.updates?.median ?? 0;
    lines.push(
      updates >= 10_000
        ? `large-chat catch-up: ${num(ms)} ms for ${updates} messages, target < 200 ms: ${ms < 200 ? 'PASS' : 'MISS'}`
        : `large-chat catch-up: ${num(ms)} ms for ${updates} messages (the 200 ms target is for 10,000: run without --quick)`,
    );
  }
  return lines.join('\n');
}
