/**
 * A software WebAuthn authenticator for tests: an ES256 key pair made with
 * WebCrypto, a "none" attestation and assertions built by hand (CBOR, the
 * authenticator data layout and DER signatures as WebAuthn §6 lays them
 * out), so the server's real verification runs on them. Works in workerd
 * and Node.
 */

type CborValue = number | string | Uint8Array | Map<CborValue, CborValue> | Record<string, never>;

function cborHead(major: number, length: number): number[] {
  if (length < 24) return [(major << 5) | length];
  if (length < 256) return [(major << 5) | 24, length];
  if (length < 65536) return [(major << 5) | 25, length >> 8, length & 0xff];
  throw new Error('too long for this encoder');
}

/** Just enough CBOR for COSE keys and attestation objects. */
function cbor(value: CborValue): number[] {
  if (typeof value === 'number') return value >= 0 ? cborHead(0, value) : cborHead(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = new TextEncoder().encode(value);
    return [...cborHead(3, bytes.length), ...bytes];
  }
  if (value instanceof Uint8Array) return [...cborHead(2, value.length), ...value];
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return [...cborHead(5, entries.length), ...entries.flatMap(([k, v]) => [...cbor(k), ...cbor(v)])];
}

export function b64url(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromB64url(text: string): Uint8Array {
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(b64 + '='.repeat((4 - (b64.length % 4)) % 4)), (c) => c.charCodeAt(0));
}

async function sha256(bytes: Uint8Array): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
}

function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

function uint32(n: number): Uint8Array {
  return new Uint8Array([n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
}

/** WebCrypto signs ECDSA as r||s; WebAuthn carries it DER-encoded. */
function derSignature(raw: Uint8Array): Uint8Array {
  const integer = (half: Uint8Array) => {
    let start = 0;
    while (start < half.length - 1 && half[start] === 0) start++;
    const trimmed = half.subarray(start);
    const bytes = trimmed[0]! & 0x80 ? concat(new Uint8Array([0]), trimmed) : trimmed;
    return concat(new Uint8Array([0x02, bytes.length]), bytes);
  };
  const body = concat(integer(raw.subarray(0, 32)), integer(raw.subarray(32)));
  return concat(new Uint8Array([0x30, body.length]), body);
}

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

export type CreationOptions = { challenge: string; rp: { id?: string }; user: { id: string } };
export type RequestOptions = { challenge: string; rpId?: string };

/** One passkey on a software authenticator. */
export class SoftPasskey {
  /** The signature counter the next assertion reports (0 = no counter, as synced passkeys do). */
  counter = 0;
  userVerified = true;

  private constructor(
    readonly id: string,
    private readonly keys: CryptoKeyPair,
    readonly userHandle: string,
  ) {}

  /** Makes a credential for these creation options: the RegistrationResponseJSON a browser would send. */
  static async create(options: CreationOptions, origin: string, tweak: { rpId?: string } = {}) {
    const keys = (await crypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, ['sign', 'verify'])) as CryptoKeyPair;
    const jwk = (await crypto.subtle.exportKey('jwk', keys.publicKey)) as JsonWebKey;
    const credentialId = crypto.getRandomValues(new Uint8Array(16));
    const passkey = new SoftPasskey(b64url(credentialId), keys, options.user.id);
    const coseKey = new Map<CborValue, CborValue>([
      [1, 2],
      [3, -7],
      [-1, 1],
      [-2, fromB64url(jwk.x!)],
      [-3, fromB64url(jwk.y!)],
    ]);
    const rpId = tweak.rpId ?? options.rp.id ?? new URL(origin).hostname;
    const authData = concat(
      await sha256(new TextEncoder().encode(rpId)),
      new Uint8Array([FLAG_UP | FLAG_UV | FLAG_AT]),
      uint32(0),
      new Uint8Array(16), // AAGUID: none
      new Uint8Array([0, credentialId.length]),
      credentialId,
      new Uint8Array(cbor(coseKey)),
    );
    const attestationObject = new Uint8Array(cbor(new Map<CborValue, CborValue>([['fmt', 'none'], ['attStmt', {}], ['authData', authData]])));
    const clientData = { type: 'webauthn.create', challenge: options.challenge, origin, crossOrigin: false };
    const response = {
      id: passkey.id,
      rawId: passkey.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(new TextEncoder().encode(JSON.stringify(clientData))),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
    };
    return { passkey, response };
  }

  /** Signs a sign-in challenge: the AuthenticationResponseJSON a browser would send. */
  async assert(options: RequestOptions, origin: string, tweak: { rpId?: string } = {}) {
    const rpId = tweak.rpId ?? options.rpId ?? new URL(origin).hostname;
    const authData = concat(
      await sha256(new TextEncoder().encode(rpId)),
      new Uint8Array([FLAG_UP | (this.userVerified ? FLAG_UV : 0)]),
      uint32(this.counter),
    );
    const clientDataJSON = new TextEncoder().encode(JSON.stringify({ type: 'webauthn.get', challenge: options.challenge, origin, crossOrigin: false }));
    const signed = concat(authData, await sha256(clientDataJSON));
    const raw = new Uint8Array(await crypto.subtle.sign({ name: 'ECDSA', hash: 'SHA-256' }, this.keys.privateKey, signed));
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(derSignature(raw)),
        userHandle: this.userHandle,
      },
      authenticatorAttachment: 'platform' as const,
      clientExtensionResults: {},
    };
  }
}
