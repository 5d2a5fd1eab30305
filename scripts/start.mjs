#!/usr/bin/env node
// `npm start`: Edgegram locally. Builds the web client if web/dist is missing
// or stale, applies D1 migrations to the local state, then serves the Worker
// (API, WebSockets, web client) with D1, R2 and Durable Objects in workerd
// via `wrangler dev`. State persists in .wrangler/state
// (or EDGEGRAM_STATE_DIR) across restarts.
//
// Migrations are checked by wrangler on the first start of a state directory
// and whenever d1/migrations changes; a restart on state already migrated
// with the same files skips the check (a stamp in the state directory), which
// halves a restart (wrangler spends 3-10 s on it even with nothing to apply).
//
// Environment: PORT (default 8787), EDGEGRAM_STATE_DIR, EDGEGRAM_LOG_LEVEL,
// EDGEGRAM_INSPECTOR_PORT (the devtools port; set it when several servers
// start at once, since wrangler otherwise races for 9229),
// EDGEGRAM_DEV_LOCAL_WEBHOOKS=1 (bots' webhooks may point at this machine:
// loopback only; passed to the Worker as LOCAL_WEBHOOKS_FOR_DEVELOPMENT, a
// variable no deployment has).
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureWebBuild } from './build-web.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const port = process.env.PORT ?? '8787';
const stateDir = path.resolve(root, process.env.EDGEGRAM_STATE_DIR ?? '.wrangler/state');
const wrangler = path.join(root, 'node_modules', 'wrangler', 'bin', 'wrangler.js');
// Wrangler asks for confirmation before migrating unless it thinks it is in CI.
const env = { ...process.env, CI: 'true', WRANGLER_SEND_METRICS: 'false' };

// wrangler serves web/dist as static assets: it must exist before `wrangler dev` starts.
try {
  await ensureWebBuild();
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}

const migrationsDir = path.join(root, 'd1', 'migrations');
const d1Dir = path.join(stateDir, 'v3', 'd1', 'miniflare-D1DatabaseObject');
const stampPath = path.join(stateDir, 'edgegram-migrations-applied.json');

/** The migration files as they are now: any added or edited one changes this. */
function migrationsDigest() {
  const hash = createHash('sha256');
  for (const name of readdirSync(migrationsDir).filter((n) => n.endsWith('.sql')).sort()) {
    hash.update(name).update('\0').update(readFileSync(path.join(migrationsDir, name))).update('\0');
  }
  return hash.digest('hex');
}

/** The local D1 database files the migrations were applied to. */
function databaseFiles() {
  return existsSync(d1Dir) ? readdirSync(d1Dir).filter((n) => n.endsWith('.sqlite') && n !== 'metadata.sqlite').sort() : [];
}

/** Whether this state directory had exactly these migrations applied (and its database is still there). */
function alreadyMigrated(digest) {
  try {
    const stamp = JSON.parse(readFileSync(stampPath, 'utf8'));
    const files = databaseFiles();
    return stamp.digest === digest && files.length > 0 && JSON.stringify(stamp.databases) === JSON.stringify(files);
  } catch {
    return false;
  }
}

const digest = migrationsDigest();
if (!alreadyMigrated(digest)) {
  const migrate = spawnSync(
    process.execPath,
    [wrangler, 'd1', 'migrations', 'apply', 'DB', '--local', '--persist-to', stateDir],
    { cwd: root, env, stdio: 'inherit' },
  );
  if (migrate.status !== 0) process.exit(migrate.status ?? 1);
  // Written only after wrangler succeeded, so a start killed mid-migration checks again next time.
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(stampPath, JSON.stringify({ digest, databases: databaseFiles() }));
}

const dev = spawn(
  process.execPath,
  [
    wrangler,
    'dev',
    '--port',
    port,
    '--ip',
    process.env.EDGEGRAM_IP ?? '127.0.0.1',
    '--persist-to',
    stateDir,
    '--show-interactive-dev-session=false',
    '--log-level',
    process.env.EDGEGRAM_LOG_LEVEL ?? 'info',
    ...(process.env.EDGEGRAM_INSPECTOR_PORT ? ['--inspector-port', process.env.EDGEGRAM_INSPECTOR_PORT] : []),
    ...(process.env.EDGEGRAM_DEV_LOCAL_WEBHOOKS === '1' ? ['--var', 'LOCAL_WEBHOOKS_FOR_DEVELOPMENT:1'] : []),
    // Bulk-seeded large chats for tests and the bench (workers/routes/dev-seeding.ts); never in a deployment.
    ...(process.env.EDGEGRAM_DEV_SEEDING === '1' ? ['--var', 'DEV_SEEDING:1'] : []),
    // A shorter grace period of account deletion (ms), for test servers that delete accounts.
    ...(/^[0-9]+$/.test(process.env.EDGEGRAM_ACCOUNT_DELETION_GRACE_MS ?? '') ? ['--var', `ACCOUNT_DELETION_GRACE_MS:${process.env.EDGEGRAM_ACCOUNT_DELETION_GRACE_MS}`] : []),
    // Locally nothing stands in front of the Worker to set CF-Connecting-IP, and
    // workerd keeps one a client sent: believe no header (wrangler.toml's is for Cloudflare).
    '--var',
    'CLIENT_IP_HEADER:',
  ],
  { cwd: root, env, stdio: 'inherit' },
);
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => dev.kill(signal));
dev.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
