import fc from 'fast-check';

/**
 * IPv4 addresses a webhook must never reach, and the spellings a URL parser
 * turns into each of them: shared by the unit property of the target check
 * and the workers property through the real Worker.
 */
const octet = fc.integer({ min: 0, max: 255 });

/** Loopback, RFC 1918, link-local (metadata), CGNAT, "this network", multicast and reserved. */
export const refusedIpv4 = fc.oneof(
  fc.tuple(fc.constant(127), octet, octet, octet),
  fc.tuple(fc.constant(10), octet, octet, octet),
  fc.tuple(fc.constant(172), fc.integer({ min: 16, max: 31 }), octet, octet),
  fc.tuple(fc.constant(192), fc.constant(168), octet, octet),
  fc.tuple(fc.constant(169), fc.constant(254), octet, octet),
  fc.tuple(fc.constant(100), fc.integer({ min: 64, max: 127 }), octet, octet),
  fc.tuple(fc.constant(0), octet, octet, octet),
  fc.tuple(fc.integer({ min: 224, max: 255 }), octet, octet, octet),
);

/** Seven ways to write one address in a URL's host: dotted, decimal, hex, octal, short, IPv4-mapped, hex octets. */
export function ipv4Spellings(o: readonly number[]): string[] {
  const n = ((o[0]! << 24) | (o[1]! << 16) | (o[2]! << 8) | o[3]!) >>> 0;
  return [
    o.join('.'),
    String(n),
    `0x${n.toString(16)}`,
    o.map((x) => `0${x.toString(8)}`).join('.'),
    `${o[0]}.${(o[1]! << 16) | (o[2]! << 8) | o[3]!}`,
    `[::ffff:${o.join('.')}]`,
    o.map((x) => `0x${x.toString(16)}`).join('.'),
  ];
}
