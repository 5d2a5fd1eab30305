import { z } from 'zod';
import { base64url, fromBase64url, hmacKey, type SigningKey } from '../../r2/signed-urls.js';
import { randomToken } from './tokens.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

/**
 * Connect tickets are signed, not stored: HMAC-SHA-256 over who may connect
 * (session, account, device), until when, and a nonce. Minting one costs no
 * database write and redeeming one no database access at all; what a stored
 * ticket gave beyond that lives in the account's mailbox, which the upgrade
 * reaches anyway: the nonce is spent there (single use), and a session that
 * ended since the ticket was minted is refused there (see ConnectGate).
 *
 * Format: `<key id>.<claims, base64url JSON>.<mac, base64url>`. The key is
 * named in the ticket so a rotated-out key keeps verifying until it is pruned.
 */
export type TicketClaims = {
  sessionId: string;
  userId: number;
  deviceId: string;
  /** Epoch ms. */
  expiresAt: number;
  /** Spent on first use. */
  nonce: string;
  /** Epoch ms: when the session itself expires (its sockets close then). */
  sessionExpiresAt: number;
};

/** Claims on the wire: a positional array keeps the ticket short. */
const WireClaims = z.tuple([
  z.string().min(1).max(64),
  z.number().int().positive(),
  z.string().min(1).max(64),
  z.number().int(),
  z.string().min(16).max(64),
  z.number().int(),
]);

const DOMAIN = 'edgegram-connect-v1';

function signed(keyId: string, claims: string): Uint8Array {
  return new TextEncoder().encode(`${DOMAIN}\n${keyId}\n${claims}`);
}

export function newNonce(): string {
  return randomToken(16);
}

export async function signTicket(key: SigningKey, claims: TicketClaims): Promise<string> {
  const wire: z.infer<typeof WireClaims> = [
    claims.sessionId,
    claims.userId,
    claims.deviceId,
    claims.expiresAt,
    claims.nonce,
    claims.sessionExpiresAt,
  ];
  const body = base64url(new TextEncoder().encode(JSON.stringify(wire)));
  const mac = await crypto.subtle.sign('HMAC', await hmacKey(key.secret), signed(key.id, body));
  return `${key.id}.${body}.${base64url(new Uint8Array(mac))}`;
}

/**
 * The claims of a genuine, unexpired ticket, or undefined: a forged, altered,
 * expired or malformed ticket all look the same to the caller. The MAC is
 * checked with crypto.subtle.verify (constant time) before the claims are read.
 */
export async function readTicket(
  ticket: string,
  secretFor: (keyId: string) => Promise<string | undefined>,
  now: number,
): Promise<TicketClaims | undefined> {
  const parts = ticket.split('.');
  if (parts.length !== 3) return undefined;
  const [keyId, body, mac] = parts as [string, string, string];
  const macBytes = fromBase64url(mac);
  if (!/^[0-9a-f]{1,16}$/.test(keyId) || !macBytes || macBytes.byteLength !== 32) return undefined;
  const secret = await secretFor(keyId);
  if (!secret || !(await crypto.subtle.verify('HMAC', await hmacKey(secret), macBytes, signed(keyId, body)))) return undefined;
  const bytes = fromBase64url(body);
  let json: unknown;
  try {
    json = bytes && JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    return undefined;
  }
  const parsed = safeParseUntrusted(WireClaims, json);
  if (!parsed.success) return undefined;
  const [sessionId, userId, deviceId, expiresAt, nonce, sessionExpiresAt] = parsed.data;
  if (expiresAt <= now) return undefined;
  return { sessionId, userId, deviceId, expiresAt, nonce, sessionExpiresAt };
}
