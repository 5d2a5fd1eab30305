import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { pinned } from './pinning.js';
import type { GeneratorMessage, GeneratorPlan } from './types.js';

export const ROOT = path.resolve(import.meta.dirname, '..', '..');
/** Runs a TypeScript entry on this Node (22, from node_modules) through tsx. */
export const nodeTs = (file: string) => [process.execPath, '--import', 'tsx', path.join(ROOT, file)];

export type Server = { child: ChildProcess; pid: number; info: Record<string, unknown>; stop(): Promise<void> };

/**
 * Starts a server process on `core`, waits for its `BENCH_READY {json}` line.
 * The server exits when its stdin closes, so it cannot outlive the bench.
 */
export function startServer(argv: string[], core: number | null, env: Record<string, string> = {}, timeoutMs = 180_000): Promise<Server> {
  const [cmd, ...args] = pinned(core, argv);
  const child = spawn(cmd!, args, { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let log = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`server did not start in ${timeoutMs} ms: ${argv.join(' ')}\n${log}`));
    }, timeoutMs);
    let buffered = '';
    child.stdout!.on('data', (d: Buffer) => {
      buffered += d.toString();
      for (let nl = buffered.indexOf('\n'); nl !== -1; nl = buffered.indexOf('\n')) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        if (!line.startsWith('BENCH_READY ')) {
          log += `${line}\n`;
          continue;
        }
        clearTimeout(timer);
        const info = JSON.parse(line.slice('BENCH_READY '.length)) as Record<string, unknown>;
        resolve({
          child,
          // workerd reports its own pid; the others are the process itself (taskset execs them).
          pid: typeof info.pid === 'number' ? info.pid : child.pid!,
          info,
          stop: () => stopChild(child),
        });
      }
    });
    child.stderr!.on('data', (d: Buffer) => (log += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited (${code}) before it was ready: ${argv.join(' ')}\n${log.slice(-4000)}`));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    const kill = setTimeout(() => child.kill('SIGKILL'), 10_000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.stdin?.end();
  });
}

/** Runs one generator process on `core` with `plan`; every message it sends goes to `onMessage`. */
export function runGenerator(
  plan: GeneratorPlan,
  core: number | null,
  onMessage: (m: GeneratorMessage) => void,
  timeoutMs: number,
): Promise<void> {
  const [cmd, ...args] = pinned(core, nodeTs('bench/generator/main.ts'));
  const child = spawn(cmd!, args, { cwd: ROOT, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], serialization: 'advanced' });
  child.on('message', (m: GeneratorMessage) => onMessage(m));
  child.send(plan);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`generator timed out after ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`generator exited with ${code}`));
    });
  });
}
