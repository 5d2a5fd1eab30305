import { readFileSync } from 'node:fs';
import WebSocket from 'ws';

/**
 * CPU profiles of a Worker through workerd's V8 inspector (Chrome DevTools
 * protocol, exposed by Miniflare's inspector proxy): start, stop, and a
 * summary by function and by bundled module (esbuild marks each module with a
 * `// path` comment line, which maps a sample's line back to its source file).
 */
type CallFrame = { functionName: string; url: string; lineNumber: number; columnNumber: number };
type ProfileNode = { id: number; callFrame: CallFrame; hitCount?: number; children?: number[] };
export type CpuProfile = { nodes: ProfileNode[]; startTime: number; endTime: number; samples?: number[]; timeDeltas?: number[] };

export type ProfileSummary = {
  /** Wall time profiled, ms. */
  wallMs: number;
  /** Shares of all samples: idle, runtime (C++ not attributed to a JS frame), GC, SQLite (sql.exec and its cursor), JS. */
  split: { idle: number; runtime: number; gc: number; sqlite: number };
  /**
   * Self time of the repository's functions, with the native calls they make
   * (SQLite, RPC stubs, WebSocket sends) charged to them: `sql` is the part
   * spent inside SQLite. The SqlStore adapter is looked through.
   */
  topSelf: { fn: string; pct: number; sqlPct: number }[];
  /** Inclusive time (everything under the function) of the repository's functions. */
  topInclusive: { fn: string; pct: number }[];
};

export class Inspector {
  private nextId = 0;
  private readonly waiting = new Map<number, (result: unknown) => void>();

  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      const msg = JSON.parse(data.toString()) as { id?: number; result?: unknown };
      if (msg.id !== undefined) this.waiting.get(msg.id)?.(msg.result);
    });
  }

  /** Connects to the inspector target of `worker` behind Miniflare's proxy at `base` (ws://host:port/). */
  static async connect(base: string, worker: string): Promise<Inspector> {
    const ws = new WebSocket(new URL(worker, base).href);
    await new Promise((resolve, reject) => {
      ws.once('open', resolve);
      ws.once('error', reject);
    });
    const inspector = new Inspector(ws);
    await inspector.send('Profiler.enable');
    // 200 µs: fine enough for sub-millisecond handlers, coarse enough to stay cheap.
    await inspector.send('Profiler.setSamplingInterval', { interval: 200 });
    return inspector;
  }

  send(method: string, params: Record<string, unknown> = {}): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve) => {
      this.waiting.set(id, resolve);
      this.ws.send(JSON.stringify({ id, method, params }));
    });
  }

  async start(): Promise<void> {
    await this.send('Profiler.start');
  }

  async stop(): Promise<CpuProfile> {
    return ((await this.send('Profiler.stop')) as { profile: CpuProfile }).profile;
  }

  close(): void {
    this.ws.close();
  }
}

/** Line number (0-based) → the bundled module it belongs to. */
export function moduleMap(bundlePath: string): (line: number) => string {
  const starts: { line: number; module: string }[] = [];
  readFileSync(bundlePath, 'utf8')
    .split('\n')
    .forEach((text, line) => {
      const m = /^\/\/ ((?:node_modules|protocol|d1|r2|durable-objects|workers|\.\.)\/\S+\.[cm]?[jt]s)$/.exec(text);
      if (m) starts.push({ line, module: m[1]! });
    });
  return (line) => {
    let lo = 0;
    let hi = starts.length - 1;
    let found = '(bundle prelude)';
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (starts[mid]!.line <= line) {
        found = starts[mid]!.module;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  };
}

const SPECIAL = new Set(['(idle)', '(program)', '(garbage collector)', '(root)']);
const SQLITE = new Set(['exec', 'toArray', 'one', 'transactionSync', 'next', 'raw']);
const STORE = 'durable-objects/sql/store.ts';

/** Where the samples went: by repository function (self, natives charged to the caller) and inclusive. */
export function summarizeProfile(profile: CpuProfile, moduleOf: (line: number) => string, top = 12): ProfileSummary {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const moduleOfFrame = (f: CallFrame) => (f.url === '' ? null : f.url.includes('/') ? f.url : moduleOf(f.lineNumber));
  const label = (f: CallFrame, module: string) => `${f.functionName || '(anonymous)'} ${module}:${f.lineNumber + 1}`;
  const total = profile.nodes.reduce((n, node) => n + (node.hitCount ?? 0), 0) || 1;
  const split = { idle: 0, runtime: 0, gc: 0, sqlite: 0 };
  const self = new Map<string, { hits: number; sql: number }>();
  const inclusive = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const name = node.callFrame.functionName;
    if (SPECIAL.has(name)) {
      if (name === '(idle)') split.idle += hits;
      else if (name === '(garbage collector)') split.gc += hits;
      else split.runtime += hits;
      continue;
    }
    const isSql = node.callFrame.url === '' ? SQLITE.has(name) : moduleOfFrame(node.callFrame) === STORE;
    if (isSql) split.sqlite += hits;
    // Self: the first JS frame that is not the SqlStore adapter.
    const seen = new Set<string>();
    let owner: string | null = null;
    for (let id: number | undefined = node.id; id !== undefined; id = parent.get(id)) {
      const f = byId.get(id)!.callFrame;
      const module = moduleOfFrame(f);
      if (module === null || module === STORE) continue;
      const key = label(f, module);
      owner ??= key;
      if (!module.startsWith('node_modules/') && !seen.has(key)) {
        seen.add(key);
        inclusive.set(key, (inclusive.get(key) ?? 0) + hits);
      }
    }
    const entry = self.get(owner ?? '(native)') ?? { hits: 0, sql: 0 };
    entry.hits += hits;
    if (isSql) entry.sql += hits;
    self.set(owner ?? '(native)', entry);
  }
  const pct = (hits: number) => Math.round((hits / total) * 1000) / 10;
  return {
    wallMs: (profile.endTime - profile.startTime) / 1000,
    split: { idle: pct(split.idle), runtime: pct(split.runtime), gc: pct(split.gc), sqlite: pct(split.sqlite) },
    topSelf: [...self.entries()]
      .sort((a, b) => b[1].hits - a[1].hits)
      .slice(0, top)
      .map(([fn, e]) => ({ fn, pct: pct(e.hits), sqlPct: pct(e.sql) })),
    topInclusive: [...inclusive.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, hits]) => ({ fn, pct: pct(hits) })),
  };
}
