import ipaddr from 'ipaddr.js';

/**
 * Where the server may POST a bot's updates. A webhook URL is chosen by any
 * account that makes a bot, so without this the server is a request forger
 * for it (SSRF): loopback, the private networks, link-local cloud metadata
 * (169.254.169.254, metadata.google.internal). Telegram's own rules come
 * first: HTTPS, on port 443, 80, 88 or 8443.
 *
 * The host is judged after the WHATWG URL parser canonicalized it, so every
 * spelling of an address (`127.1`, `2130706433`, `0x7f.1`, `[::ffff:127.0.0.1]`)
 * is judged as the address it is. Names are judged by what they resolve to
 * (see `resolveAndCheck`), and a few names are refused outright because they
 * only ever mean a local or internal host.
 *
 * Local development may allow loopback targets (a bot author's own machine)
 * with the `LOCAL_WEBHOOKS_FOR_DEVELOPMENT` variable, which only `npm start`
 * sets (from EDGEGRAM_DEV_LOCAL_WEBHOOKS=1); private networks and metadata
 * stay refused even then.
 */
export type WebhookPolicy = { allowLoopback: boolean };

export type TargetVerdict = { ok: true; url: URL } | { ok: false; reason: string };

/** Telegram's ports for webhooks. */
export const WEBHOOK_PORTS: readonly string[] = ['', '443', '80', '88', '8443'];

/** Names that never mean a host on the public Internet. */
const LOCAL_NAME = /(^|\.)(localhost|local|localdomain|internal|intranet|lan|home|corp|home\.arpa|onion|test|invalid)$/i;

export function webhookPolicy(env: { LOCAL_WEBHOOKS_FOR_DEVELOPMENT?: string }): WebhookPolicy {
  return { allowLoopback: env.LOCAL_WEBHOOKS_FOR_DEVELOPMENT === '1' };
}

/** The URL's own shape: scheme, port, credentials, and the host if it is an address or a local name. */
export function checkWebhookUrl(raw: string, policy: WebhookPolicy): TargetVerdict {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, reason: 'Failed to resolve host: Name or service not known' };
  }
  if (url.username || url.password) return { ok: false, reason: 'Webhook URL must not contain credentials' };
  const host = hostOf(url);
  const address = parseAddress(host);
  if (policy.allowLoopback && isLoopback(host, address)) {
    return url.protocol === 'https:' || url.protocol === 'http:' ? { ok: true, url } : { ok: false, reason: 'An HTTPS URL must be provided for webhook' };
  }
  if (url.protocol !== 'https:') return { ok: false, reason: 'An HTTPS URL must be provided for webhook' };
  if (!WEBHOOK_PORTS.includes(url.port)) return { ok: false, reason: 'Webhook can be set up only on ports 80, 88, 443 or 8443' };
  if (address) return isPublic(address) ? { ok: true, url } : { ok: false, reason: 'IP address is not allowed' };
  if (!host.includes('.') || LOCAL_NAME.test(host)) return { ok: false, reason: 'Failed to resolve host: Name or service not known' };
  return { ok: true, url };
}

/** Answers the addresses a name resolves to (A and AAAA); throws when it cannot tell. */
export type Resolver = (host: string) => Promise<string[]>;

/**
 * The whole check before a POST: the URL's shape, then, for a name, every
 * address it resolves to must be public. Fails closed: a name that cannot be
 * resolved is not posted to. (On Cloudflare's network a subrequest to a name
 * that resolves to a private address is refused by the platform as well;
 * this check makes the same true under `npm start`, and for every address
 * form the platform might not know to refuse.)
 */
export async function resolveAndCheck(raw: string, policy: WebhookPolicy, resolve: Resolver): Promise<TargetVerdict> {
  const verdict = checkWebhookUrl(raw, policy);
  if (!verdict.ok) return verdict;
  const host = hostOf(verdict.url);
  if (parseAddress(host) || (policy.allowLoopback && isLoopback(host, undefined))) return verdict;
  let addresses: string[];
  try {
    addresses = await resolve(host);
  } catch {
    return { ok: false, reason: 'Failed to resolve host: Name or service not known' };
  }
  if (addresses.length === 0) return { ok: false, reason: 'Failed to resolve host: Name or service not known' };
  for (const a of addresses) {
    const address = parseAddress(a);
    if (!address || !isPublic(address)) return { ok: false, reason: 'IP address is not allowed' };
  }
  return verdict;
}

/** The hostname without IPv6 brackets or a trailing root dot. */
function hostOf(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}

function parseAddress(host: string): ipaddr.IPv4 | ipaddr.IPv6 | undefined {
  return ipaddr.isValid(host) ? ipaddr.parse(host) : undefined;
}

/**
 * Only plain unicast addresses are public. Everything else is refused: the
 * private, loopback, link-local, carrier-grade NAT, multicast, reserved and
 * documentation ranges, and the IPv6 forms that embed an IPv4 address
 * (mapped, NAT64, 6to4, Teredo) rather than unwrapping them.
 */
function isPublic(address: ipaddr.IPv4 | ipaddr.IPv6): boolean {
  return address.range() === 'unicast';
}

function isLoopback(host: string, address: ipaddr.IPv4 | ipaddr.IPv6 | undefined): boolean {
  if (address) {
    const v4 = address.kind() === 'ipv6' && (address as ipaddr.IPv6).isIPv4MappedAddress() ? (address as ipaddr.IPv6).toIPv4Address() : address;
    return v4.range() === 'loopback';
  }
  return host === 'localhost' || host.endsWith('.localhost');
}

/**
 * Resolves over DNS-over-HTTPS (Cloudflare's JSON API), the resolver a
 * Worker can use: A and AAAA answers, CNAMEs followed by the resolver.
 */
export const dohResolver =
  (fetchImpl: typeof fetch = fetch): Resolver =>
  async (host) => {
    const answers = await Promise.all(
      ['A', 'AAAA'].map(async (type) => {
        const res = await fetchImpl(`https://cloudflare-dns.com/dns-query?name=${encodeURIComponent(host)}&type=${type}`, {
          headers: { accept: 'application/dns-json' },
          signal: AbortSignal.timeout(5_000),
        });
        if (!res.ok) throw new Error(`DNS answered ${res.status}`);
        const body = (await res.json()) as { Status?: number; Answer?: { type: number; data: string }[] };
        if (body.Status !== 0 && body.Status !== 3) throw new Error(`DNS status ${body.Status}`);
        return (body.Answer ?? []).filter((a) => a.type === 1 || a.type === 28).map((a) => a.data);
      }),
    );
    return answers.flat();
  };
