/** Types for scripts/build-web.mjs (imported by the test harness). */
export function webBuildIsFresh(): boolean;
export function buildWeb(): number;
export function ensureWebBuild(options?: { log?: (line: string) => void }): Promise<number>;
