#!/usr/bin/env node
// Builds the web client (web/ → web/dist) with Vite.
//
// `node scripts/build-web.mjs` (npm run build:web) always builds.
// `ensureWebBuild()` builds only when web/dist is missing or older than any of
// its inputs (web sources, and the client/ and protocol/ code it bundles); it
// is what `npm start` and the test harness call, so a fresh checkout serves
// the app and an unchanged one starts without waiting. A lock directory keeps
// concurrent callers (two test projects starting servers at once) from
// building over each other: the second waits, then finds the build fresh.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const vite = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const output = path.join(root, 'web', 'dist', 'index.html');
const lock = path.join(root, 'web', '.build-lock');
const INPUTS = ['web/index.html', 'web/vite.config.ts', 'web/src', 'web/public', 'client', 'protocol', 'package-lock.json'];
const LOCK_STALE_MS = 120_000;

/** Newest modification time among the inputs (walking directories). */
function newestInput() {
  let newest = 0;
  const visit = (file) => {
    let stat;
    try {
      stat = statSync(file);
    } catch {
      return; // an optional input that does not exist
    }
    if (stat.isDirectory()) for (const entry of readdirSync(file)) visit(path.join(file, entry));
    else newest = Math.max(newest, stat.mtimeMs);
  };
  for (const input of INPUTS) visit(path.join(root, input));
  return newest;
}

export function webBuildIsFresh() {
  try {
    return statSync(output).mtimeMs >= newestInput();
  } catch {
    return false;
  }
}

/** Runs `vite build`; throws with Vite's output if it fails. Returns the time it took in ms. */
export function buildWeb() {
  const started = Date.now();
  const run = spawnSync(process.execPath, [vite, 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    encoding: 'utf8',
  });
  if (run.status !== 0) throw new Error(`vite build failed (${run.status ?? run.signal}):\n${run.stdout}\n${run.stderr}`);
  return Date.now() - started;
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** A lock left by a process that died (killed mid-build), or held longer than any build takes. */
function lockIsStale() {
  try {
    if (Date.now() - statSync(lock).mtimeMs > LOCK_STALE_MS) return true;
    const pid = Number(readFileSync(path.join(lock, 'pid'), 'utf8'));
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // ESRCH: the holder is gone. ENOENT: released meanwhile, or not yet written (give it a moment).
    return error.code === 'ESRCH';
  }
}

async function withLock(fn) {
  const deadline = Date.now() + 2 * LOCK_STALE_MS;
  for (;;) {
    try {
      mkdirSync(lock);
      writeFileSync(path.join(lock, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      if (lockIsStale()) rmSync(lock, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${lock}`);
      await sleep(100);
    }
  }
  try {
    return await fn();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Builds web/dist if it is missing or stale. Resolves to the build time in ms, or 0 if it was fresh. */
export async function ensureWebBuild({ log = (line) => console.error(line) } = {}) {
  if (webBuildIsFresh()) return 0;
  return withLock(() => {
    if (webBuildIsFresh()) return 0;
    log('web client: building web/dist …');
    const ms = buildWeb();
    log(`web client: built in ${(ms / 1000).toFixed(1)} s`);
    return ms;
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await withLock(() => {
    const ms = buildWeb();
    console.log(`web client: built web/dist in ${(ms / 1000).toFixed(1)} s`);
  });
}
