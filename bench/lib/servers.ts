import path from 'node:path';
import { bunBinary } from './bun.js';
import { nodeTs, ROOT, startServer, type Server } from './spawn.js';
import { ScenarioId, TargetName, type PlannedTarget, type Skipped } from './types.js';

const E = TargetName.edgegram;
const A = TargetName.minimal;
export const PEERS = [TargetName.nodeWs, TargetName.socketIo, TargetName.bun];

export type Running = { name: TargetName; server: Server; url: string };

/**
 * Starts the server(s) for `names` on `core`: Edgegram and (a) share one
 * fresh workerd (Miniflare), each peer runs in its own process.
 */
export async function startTargets(
  names: TargetName[],
  core: number | null,
  env: Record<string, string>,
  onSkip: (s: Skipped) => void,
): Promise<Running[]> {
  const running: Running[] = [];
  if (names.includes(E) || names.includes(A)) {
    const server = await startServer(nodeTs('bench/server/workerd.ts'), core, env);
    const urls = server.info.urls as Record<'edgegram' | 'minimal', string>;
    if (names.includes(E)) running.push({ name: E, server, url: urls.edgegram });
    if (names.includes(A)) running.push({ name: A, server, url: urls.minimal });
  }
  for (const name of PEERS.filter((p) => names.includes(p))) {
    const cmd = peerCommand(name);
    if ('reason' in cmd) {
      onSkip({ scenario: ScenarioId.oneToOne, target: name, label: 'all scenarios', reason: cmd.reason });
      continue;
    }
    const server = await startServer(cmd.argv, core);
    running.push({ name, server, url: `http://127.0.0.1:${server.info.port as number}` });
  }
  return running;
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

export const planned = (running: Running[]): PlannedTarget[] =>
  running.map((r) => ({ name: r.name, url: r.url, serverPid: r.server.pid }));
