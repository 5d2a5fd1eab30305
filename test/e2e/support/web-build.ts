import { ensureWebBuild } from '../../../scripts/build-web.mjs';

/**
 * Vitest globalSetup for the projects that start the real server: builds the
 * web client once, up front, if web/dist is missing or stale. start.mjs would
 * build it too, but then the first server's start-up time (and its readiness
 * timeout) would include the build; the deploy dry-run needs web/dist as well.
 */
export default async function buildWebClient(): Promise<void> {
  await ensureWebBuild({ log: (line) => console.log(line) });
}
