/**
 * DNS for the workerd suites, which must never reach the network: answers
 * the DNS-over-HTTPS queries webhook checks make (services/bot-api/
 * webhook-target.ts). Names under `rebind.example.com` resolve to loopback
 * (a public-looking name for a private host); `nxdomain.example.com` does not
 * exist; every other name gets one public documentation-free address.
 */
export const PUBLIC_TEST_ADDRESS = '93.184.215.14';

export function dohAnswer(request: Request): Response | undefined {
  const url = new URL(request.url);
  if (url.hostname !== 'cloudflare-dns.com' || url.pathname !== '/dns-query') return undefined;
  const name = url.searchParams.get('name') ?? '';
  const type = url.searchParams.get('type');
  if (name.endsWith('nxdomain.example.com')) return Response.json({ Status: 3 });
  const v4 = name.endsWith('rebind.example.com') ? '127.0.0.1' : PUBLIC_TEST_ADDRESS;
  const Answer = type === 'A' ? [{ name, type: 1, TTL: 60, data: v4 }] : [];
  return Response.json({ Status: 0, Answer });
}
