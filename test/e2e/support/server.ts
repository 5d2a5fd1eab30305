import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../../..');
const READY_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 10_000;
const OUTPUT_LINES_KEPT = 200;

export type TestServer = {
  baseUrl: string;
  wsUrl: string;
  stateDir: string;
  /** The server's recent stdout and stderr, for failure messages. */
  output(): string;
  /** Ends the whole process tree (npm start → wrangler → workerd) and waits until it is gone. */
  stop(): Promise<void>;
  /** Sends `signal` to the whole process tree (SIGKILL: a crash) and waits until it is gone. */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Stops, then starts again on the same port and state directory. */
  restart(): Promise<void>;
  /** Whether any process of the server's tree is still running. */
  alive(): boolean;
  /** The id of the server's process group (npm start → wrangler → workerd), e.g. to sample its memory. */
  processGroup(): number;
};

/** Process groups still running, killed synchronously if the test process exits first. */
const liveGroups = new Set<number>();
process.once('exit', () => {
  for (const pgid of liveGroups) signalGroup(pgid, 'SIGKILL');
});

/** A port nobody listens on right now: bind to 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.on('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/**
 * Starts the real local server the way `npm start` does (`node
 * scripts/start.mjs`: D1 migrations, then `wrangler dev`) on a free port and
 * a fresh state directory, and resolves once the API answers.
 */
export async function startServer(
  options: { stateDir?: string; localWebhooks?: boolean; seeding?: boolean; deletionGraceMs?: number } = {},
): Promise<TestServer> {
  const port = await freePort();
  // Its own devtools port too: wrangler otherwise races other servers for 9229.
  const inspectorPort = await freePort();
  const ownsStateDir = !options.stateDir;
  const stateDir = options.stateDir ?? (await mkdtemp(path.join(os.tmpdir(), 'edgegram-e2e-')));
  const baseUrl = `http://127.0.0.1:${port}`;
  const lines: string[] = [];
  let child: ChildProcess;

  const output = () => lines.join('');
  const launch = async () => {
    child = spawnTree(port, inspectorPort, stateDir, { localWebhooks: options.localWebhooks ?? false, seeding: options.seeding ?? false, deletionGraceMs: options.deletionGraceMs }, (text) => {
      lines.push(text);
      if (lines.length > OUTPUT_LINES_KEPT) lines.shift();
    });
    try {
      await waitUntilReady(baseUrl, child, output);
    } catch (err) {
      await endTree(child, 'SIGKILL');
      throw err;
    }
  };
  try {
    await launch();
  } catch (err) {
    if (ownsStateDir) await rm(stateDir, { recursive: true, force: true });
    throw err;
  }
  return {
    baseUrl,
    wsUrl: `ws://127.0.0.1:${port}`,
    stateDir,
    output,
    kill: (signal = 'SIGKILL') => endTree(child, signal),
    alive: () => groupAlive(child.pid!),
    processGroup: () => child.pid!,
    restart: async () => {
      await endTree(child, 'SIGTERM');
      await launch();
    },
    stop: async () => {
      await endTree(child, 'SIGTERM');
      if (ownsStateDir) await rm(stateDir, { recursive: true, force: true });
    },
  };
}

function spawnTree(
  port: number,
  inspectorPort: number,
  stateDir: string,
  flags: { localWebhooks: boolean; seeding: boolean; deletionGraceMs?: number | undefined },
  onOutput: (text: string) => void,
): ChildProcess {
  const child = spawn(process.execPath, [path.join(root, 'scripts', 'start.mjs')], {
    cwd: root,
    // Its own process group, so the whole tree (wrangler, workerd) can be signalled at once.
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: {
      ...process.env,
      PORT: String(port),
      EDGEGRAM_INSPECTOR_PORT: String(inspectorPort),
      EDGEGRAM_STATE_DIR: stateDir,
      EDGEGRAM_LOG_LEVEL: 'warn',
      // Bots' webhooks may point at this machine only when a suite asks (as a bot author would).
      EDGEGRAM_DEV_LOCAL_WEBHOOKS: flags.localWebhooks ? '1' : '',
      // The local-only bulk seeding route (large chats), only for the suites that seed.
      EDGEGRAM_DEV_SEEDING: flags.seeding ? '1' : '',
      // Account deletion's grace period, for the suites that delete accounts (scripts/start.mjs).
      EDGEGRAM_ACCOUNT_DELETION_GRACE_MS: flags.deletionGraceMs === undefined ? '' : String(flags.deletionGraceMs),
    },
  });
  liveGroups.add(child.pid!);
  child.stdout!.setEncoding('utf8').on('data', onOutput);
  child.stderr!.setEncoding('utf8').on('data', onOutput);
  return child;
}

async function waitUntilReady(baseUrl: string, child: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`server exited (${child.exitCode ?? child.signalCode}) before it was ready:\n${output()}`);
    }
    try {
      const res = await fetch(`${baseUrl}/v1/openapi.json`, { signal: AbortSignal.timeout(5_000) });
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await sleep(250);
  }
  throw new Error(`server not ready within ${READY_TIMEOUT_MS / 1000} s:\n${output()}`);
}

/** Signals the process group and waits until no process of it is left; SIGKILL after a grace period. */
async function endTree(child: ChildProcess, signal: NodeJS.Signals): Promise<void> {
  const pgid = child.pid!;
  signalGroup(pgid, signal);
  const deadline = Date.now() + STOP_TIMEOUT_MS;
  let killed = signal === 'SIGKILL';
  while (groupAlive(pgid)) {
    if (!killed && Date.now() > deadline) {
      signalGroup(pgid, 'SIGKILL');
      killed = true;
    }
    if (Date.now() > deadline + STOP_TIMEOUT_MS) throw new Error(`process group ${pgid} survived SIGKILL`);
    await sleep(100);
  }
  if (child.exitCode === null && child.signalCode === null) {
    await new Promise((resolve) => child.once('exit', resolve));
  }
  liveGroups.delete(pgid);
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is already gone
  }
}

/**
 * Whether any live process of the group is left. Reads /proc so that zombies
 * (exited, waiting for a parent that may never reap them in a container) do
 * not count; elsewhere falls back to probing with signal 0.
 */
export function groupAlive(pgid: number): boolean {
  try {
    return readdirSync('/proc').some((entry) => {
      if (!/^\d+$/.test(entry)) return false;
      try {
        // Fields after the parenthesised command: state, ppid, pgrp, ...
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
        const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        return Number(pgrp) === pgid && state !== 'Z' && state !== 'X';
      } catch {
        return false; // exited while we looked
      }
    });
  } catch {
    try {
      process.kill(-pgid, 0);
      return true;
    } catch {
      return false;
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
