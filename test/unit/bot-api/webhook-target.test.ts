/**
 * Where a bot's webhook may point (services/bot-api/webhook-target.ts):
 * every spelling of a loopback, private, link-local or metadata address is
 * refused before any socket is opened; public HTTPS on Telegram's ports is
 * allowed. Nothing here opens a socket: the resolver is a stub.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ipv4Spellings, refusedIpv4 } from '../../support/refused-addresses.js';
import { checkWebhookUrl, resolveAndCheck, type Resolver } from '../../../services/bot-api/webhook-target.js';

const deployed = { allowLoopback: false };
const localDevelopment = { allowLoopback: true };
const publicResolver: Resolver = async () => ['93.184.215.14'];

/** Ways to write 127.0.0.1 in a URL's host that the URL parser turns into it. */
const LOOPBACK_SPELLINGS = ['127.0.0.1', '127.1', '127.0.1', '2130706433', '0x7f000001', '0x7f.1', '0177.0.0.1', '017700000001', '127.000.000.001', '[::1]', '[0:0:0:0:0:0:0:1]', '[::ffff:127.0.0.1]', '[::ffff:7f00:1]', 'localhost', 'LOCALHOST', 'api.localhost', 'localhost.'];
const PRIVATE_AND_METADATA = ['10.0.0.1', '10.255.255.255', '172.16.0.1', '172.31.255.254', '192.168.1.1', '169.254.169.254', '100.64.0.1', '0.0.0.0', '0', '[::]', '[fd00::1]', '[fc00::1]', '[fe80::1]', '[::ffff:10.0.0.1]', '[::ffff:169.254.169.254]', '[64:ff9b::a9fe:a9fe]', '[2002:a9fe:a9fe::]', '224.0.0.1', '255.255.255.255', '198.18.0.1', 'metadata.google.internal', 'metadata', 'intranet', 'printer.local', 'db.corp', 'router.lan', 'host.home.arpa'];

describe('webhook targets', () => {
  it.each([...LOOPBACK_SPELLINGS, ...PRIVATE_AND_METADATA])('refuses https://%s/ in a deployment', async (host) => {
    expect(checkWebhookUrl(`https://${host}/hook`, deployed).ok).toBe(false);
    expect((await resolveAndCheck(`https://${host}/hook`, deployed, publicResolver)).ok).toBe(false);
  });

  it('refuses a public name that resolves to any private or loopback address (one bad address is enough)', async () => {
    for (const answer of [['127.0.0.1'], ['93.184.215.14', '10.0.0.7'], ['::1'], ['169.254.169.254'], ['fd12::1'], ['::ffff:192.168.0.1'], []]) {
      const verdict = await resolveAndCheck('https://hooks.example.com/x', deployed, async () => answer);
      expect(verdict.ok, JSON.stringify(answer)).toBe(false);
    }
  });

  it('fails closed when the name cannot be resolved', async () => {
    const verdict = await resolveAndCheck('https://hooks.example.com/x', deployed, async () => Promise.reject(new Error('no DNS')));
    expect(verdict).toEqual({ ok: false, reason: 'Failed to resolve host: Name or service not known' });
  });

  it("keeps Telegram's rules: HTTPS only, on ports 443, 80, 88 or 8443, no credentials in the URL", () => {
    for (const ok of ['https://hooks.example.com/x', 'https://hooks.example.com:443/x', 'https://hooks.example.com:80/x', 'https://hooks.example.com:88/x', 'https://hooks.example.com:8443/x', 'https://93.184.215.14/x']) {
      expect(checkWebhookUrl(ok, deployed).ok, ok).toBe(true);
    }
    for (const refused of ['http://hooks.example.com/x', 'https://hooks.example.com:8080/x', 'https://hooks.example.com:22/x', 'ftp://hooks.example.com/x', 'https://user:pass@hooks.example.com/x', 'not a url', 'https://singlelabel/x']) {
      expect(checkWebhookUrl(refused, deployed).ok, refused).toBe(false);
    }
  });

  it('local development lets a bot point at its own machine (loopback, any port, http too), never at the private network', async () => {
    for (const host of LOOPBACK_SPELLINGS) {
      expect((await resolveAndCheck(`http://${host}:3000/hook`, localDevelopment, publicResolver)).ok, host).toBe(true);
    }
    for (const host of PRIVATE_AND_METADATA) {
      expect((await resolveAndCheck(`https://${host}/hook`, localDevelopment, publicResolver)).ok, host).toBe(false);
    }
  });

  it('any IPv4 address in a refused range, in any of its spellings, is refused (property)', () => {
    fc.assert(
      fc.property(refusedIpv4, fc.integer({ min: 0, max: 6 }), fc.constantFrom('https', 'http'), fc.constantFrom('', ':443', ':8443', ':80'), (o, form, scheme, port) => {
        const url = `${scheme}://${ipv4Spellings(o)[form]}${port}/hook`;
        expect(checkWebhookUrl(url, deployed).ok, url).toBe(false);
      }),
      { numRuns: 2_000 },
    );
  });
});
