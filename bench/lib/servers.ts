import path from 'node:path';
import { bunBinary } from './bun.js';
import { nodeTs, ROOT, startServer, type Server } from './spawn.js';
import { ScenarioId, TargetName, type PlannedTarget, type Skipped } from './types.js';

const E = TargetName.edgegram;
const A = TargetName.minimal;
export const PEERS = [TargetName.nodeWs, TargetName.socketIo, TargetName.bun];

/** A target's server: the process to stop, the pid whose CPU and memory are read, where to connect. */
export type Running = { name: TargetName; server: Server; pid: number; url: string; inspector: string | null };

type Instance = { pid: number; urls: Record<'edgegram' | 'minimal', string>; inspector: string | null };

/**
 * Starts every group's servers at once, all on `core`, and resolves to the
 * running targets of each group. In a group, Edgegram and (a) share one fresh
 * workerd (Miniflare); every group gets its own workerd process, all hosted
 * by one Node process (bench/server/workerd.ts), and each peer runs in its
 * own process.
 */
export async function startGroups(
  groups: TargetName[][],
  core: number | null,
  env: Record<string, string>,
  onSkip: (s: Skipped) => void,
): Promise<Running[][]> {
  const needsWorkerd = groups.map((names) => names.includes(E) || names.includes(A));
  const count = needsWorkerd.filter(Boolean).length;
  const host = count > 0 ? startServer(nodeTs('bench/server/workerd.ts'), core, { ...env, BENCH_WORKERD_INSTANCES: String(count) }) : null;
  const peers = groups.map((names) =>
    Promise.all(
      PEERS.filter((p) => names.includes(p)).map(async (name): Promise<Running | null> => {
        const cmd = peerCommand(name);
        if ('reason' in cmd) {
          onSkip({ scenario: ScenarioId.oneToOne, target: name, label: 'all scenarios', reason: cmd.reason });
          return null;
        }
        const server = await startServer(cmd.argv, core);
        return { name, server, pid: server.pid, url: `http://127.0.0.1:${server.info.port as number}`, inspector: null };
      }),
    ),
  );
  const workerd = await host;
  const instances = (workerd?.info.instances ?? []) as Instance[];
  let next = 0;
  const out: Running[][] = [];
  for (const [g, names] of groups.entries()) {
    const running: Running[] = [];
    if (needsWorkerd[g]) {
      const instance = instances[next++]!;
      for (const [name, key] of [[E, 'edgegram'], [A, 'minimal']] as const) {
        if (names.includes(name)) running.push({ name, server: workerd!, pid: instance.pid, url: instance.urls[key], inspector: instance.inspector });
      }
    }
    running.push(...(await peers[g]!).filter((r): r is Running => r !== null));
    out.push(running);
  }
  return out;
}

function peerCommand(name: TargetName): { argv: string[] } | { reason: string } {
  if (name === TargetName.nodeWs) return { argv: nodeTs('bench/peers/node-ws.ts') };
  if (name === TargetName.socketIo) return { argv: nodeTs('bench/peers/socketio.ts') };
  const bun = bunBinary();
  return 'path' in bun ? { argv: [bun.path, path.join(ROOT, 'bench/peers/bun-pubsub.ts')] } : bun;
}

export async function stopTargets(running: Running[]): Promise<void> {
  await Promise.all([...new Set(running.map((r) => r.server))].map((s) => s.stop()));
}

export const planned = (running: Running[]): PlannedTarget[] => running.map((r) => ({ name: r.name, url: r.url, serverPid: r.pid }));
