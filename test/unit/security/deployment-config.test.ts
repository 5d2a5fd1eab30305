import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

describe('what a deployment is configured with', () => {
  it('never lets webhooks reach loopback: LOCAL_WEBHOOKS_FOR_DEVELOPMENT is only passed by npm start, never declared in wrangler.toml', () => {
    expect(readFileSync(path.join(root, 'wrangler.toml'), 'utf8')).not.toContain('LOCAL_WEBHOOKS_FOR_DEVELOPMENT');
    const start = readFileSync(path.join(root, 'scripts/start.mjs'), 'utf8');
    expect(start).toContain("process.env.EDGEGRAM_DEV_LOCAL_WEBHOOKS === '1' ? ['--var', 'LOCAL_WEBHOOKS_FOR_DEVELOPMENT:1'] : []");
  });

  it('has no seeding route: DEV_SEEDING is only passed by npm start when asked, never declared in wrangler.toml', () => {
    expect(readFileSync(path.join(root, 'wrangler.toml'), 'utf8')).not.toContain('DEV_SEEDING');
    const start = readFileSync(path.join(root, 'scripts/start.mjs'), 'utf8');
    expect(start).toContain("process.env.EDGEGRAM_DEV_SEEDING === '1' ? ['--var', 'DEV_SEEDING:1'] : []");
  });
});
