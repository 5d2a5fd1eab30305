import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Context } from 'hono';
import { z } from 'zod';
import type { Db } from '../../d1/db.js';
import { findAccountById, type AccountRow } from '../../d1/queries/accounts.js';
import { consumeChallenge, createChallenge, findPasskey, insertPasskey, listPasskeys, usePasskey, type ChallengePurpose } from '../../d1/queries/passkeys.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import {
  PasskeyCreationOptions,
  PasskeyRequestOptions,
  type Passkey,
  type PasskeyAuthenticationResponse,
  type PasskeyRegisterBody,
} from '../../protocol/http/passkeys.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';
import { passkeyOf } from '../../services/account-api/sign-in.js';
import type { AppEnv } from '../app.js';
import { isOriginAllowed } from '../middleware/origins.js';


/**
 * @simplewebauthn/server and its certificate parsers are loaded on the first
 * passkey request, not at every isolate's start: they are most of the
 * Worker's bundle, and most requests never need them.
 */
const webauthn = () => import('@simplewebauthn/server');

/** base64url (no padding) to text and bytes, as WebAuthn encodes them. */
function base64UrlBytes(text: string): Uint8Array<ArrayBuffer> {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  return Uint8Array.from(binary, (c) => c.charCodeAt(0));
}
function base64UrlText(text: string): string {
  return new TextDecoder().decode(base64UrlBytes(text));
}
function toBase64Url(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/**
 * Passkeys (WebAuthn, verified by @simplewebauthn/server, which runs on
 * WebCrypto in workerd). The relying party is this server as the browser
 * reached it: the request's Origin when ALLOWED_ORIGINS (or the API's own
 * origin) allows it, and its host name as the RP ID. Each challenge is
 * stored with that origin and RP ID, and its answer must show both.
 * Challenges are single-use (one conditional DELETE) and live 5 minutes.
 */
export const PASSKEYS = {
  challengeLifetimeMs: 5 * 60_000,
  /** The browser's own time limit for the ceremony. */
  ceremonyTimeoutMs: 2 * 60_000,
  maxPerAccount: 20,
  /** Registration ceremonies one account may start. */
  registrationsPerAccount: { limit: 20, windowMs: 60 * 60_000 },
} as const;

const RP_NAME = 'Edgegram';

export type RelyingParty = { origin: string; rpId: string };

/** The relying party of this request, or ORIGIN_NOT_ALLOWED for a page of a foreign origin. */
export function relyingParty(c: Context<AppEnv>): RelyingParty {
  const origin = c.req.header('origin');
  if (!isOriginAllowed(origin, c.req.url, c.env)) throw new EdgegramError(ErrorCode.ORIGIN_NOT_ALLOWED, 'This origin may not use passkeys here');
  const effective = origin ?? new URL(c.req.url).origin;
  return { origin: effective, rpId: new URL(effective).hostname };
}

const ClientData = z.object({ challenge: z.string().min(1).max(512) });

/** The challenge a response answers, read from its clientDataJSON (verified afterwards by the library). */
function challengeOf(clientDataJSON: string): string | null {
  try {
    const parsed = safeParseUntrusted(ClientData, JSON.parse(base64UrlText(clientDataJSON)));
    return parsed.success ? parsed.data.challenge : null;
  } catch {
    return null;
  }
}

async function takeChallenge(
  db: Db,
  clientDataJSON: string,
  purpose: ChallengePurpose,
  accountId: number | null,
  now: number,
): Promise<{ challenge: string; origin: string; rpId: string } | null> {
  const challenge = challengeOf(clientDataJSON);
  if (!challenge) return null;
  const issued = await consumeChallenge(db, { challenge, purpose, accountId, now });
  return issued ? { challenge, ...issued } : null;
}

function passkeyInvalid(message: string, cause?: unknown): EdgegramError {
  return new EdgegramError(ErrorCode.PASSKEY_INVALID, message, {}, { cause });
}

function signInRefused(): EdgegramError {
  return new EdgegramError(ErrorCode.INVALID_CREDENTIALS, 'This passkey was not accepted: try again');
}

export async function registrationOptions(db: Db, rp: RelyingParty, account: AccountRow, now: number): Promise<PasskeyCreationOptions> {
  const existing = await listPasskeys(db, account.id);
  if (existing.length >= PASSKEYS.maxPerAccount) {
    throw new EdgegramError(ErrorCode.CONFLICT, `An account has at most ${PASSKEYS.maxPerAccount} passkeys: remove one first`);
  }
  const options = await (await webauthn()).generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: rp.rpId,
    userName: account.username,
    userDisplayName: account.displayName,
    // The user handle is the account id: a sign-in's handle must name the credential's account.
    userID: Uint8Array.from(new TextEncoder().encode(String(account.id))),
    attestationType: 'none',
    timeout: PASSKEYS.ceremonyTimeoutMs,
    excludeCredentials: existing.map((p) => ({ id: p.id, transports: passkeyOf(p).transports })),
    // Discoverable (sign-in without a username) and verified (a PIN or biometric): a passkey is both factors.
    authenticatorSelection: { residentKey: 'required', userVerification: 'required' },
  });
  await createChallenge(
    db,
    { challenge: options.challenge, purpose: 'register', accountId: account.id, ...rp, expiresAt: now + PASSKEYS.challengeLifetimeMs },
    now,
  );
  // The library's DOM-typed JSON, as the protocol's (loose) schema types it.
  return PasskeyCreationOptions.parse(options);
}

/** Check (the challenge used up first, then the attestation against its origin and RP ID) → store. */
export async function registerPasskey(db: Db, account: AccountRow, body: PasskeyRegisterBody, now: number): Promise<Passkey> {
  const issued = await takeChallenge(db, body.response.response.clientDataJSON, 'register', account.id, now);
  if (!issued) throw passkeyInvalid('This passkey setup expired or was already used: start again');
  let info;
  try {
    const verification = await (await webauthn()).verifyRegistrationResponse({
      response: body.response as RegistrationResponseJSON,
      expectedChallenge: issued.challenge,
      expectedOrigin: issued.origin,
      expectedRPID: issued.rpId,
      requireUserVerification: true,
    });
    if (!verification.verified) throw new Error('not verified');
    info = verification.registrationInfo;
  } catch (cause) {
    throw passkeyInvalid(`The passkey could not be verified: ${cause instanceof Error ? cause.message : String(cause)}`, cause);
  }
  const row = {
    id: info.credential.id,
    accountId: account.id,
    publicKey: toBase64Url(info.credential.publicKey),
    counter: info.credential.counter,
    transports: JSON.stringify(body.response.response.transports ?? []),
    name: body.name,
    createdAt: now,
    lastUsedAt: null,
  };
  if (!(await insertPasskey(db, row))) throw new EdgegramError(ErrorCode.CONFLICT, 'This passkey is registered already');
  return passkeyOf(row);
}

/** A sign-in's user handle, when the authenticator gives one, must be the credential's account (see registrationOptions). */
function handleMatches(handle: string | undefined, accountId: number): boolean {
  if (handle === undefined) return true;
  try {
    return base64UrlText(handle) === String(accountId);
  } catch {
    return false;
  }
}

export async function loginOptions(db: Db, rp: RelyingParty, now: number): Promise<PasskeyRequestOptions> {
  const options = await (await webauthn()).generateAuthenticationOptions({ rpID: rp.rpId, userVerification: 'required', timeout: PASSKEYS.ceremonyTimeoutMs });
  await createChallenge(db, { challenge: options.challenge, purpose: 'login', accountId: null, ...rp, expiresAt: now + PASSKEYS.challengeLifetimeMs }, now);
  return PasskeyRequestOptions.parse(options);
}

/**
 * A passkey sign-in: the challenge used up, the credential found, its
 * signature verified (with user verification: it counts as both factors),
 * and its counter moved on only if no concurrent use moved it first
 * (the library refuses a counter that did not grow: a cloned authenticator).
 * Returns the account to issue the session for.
 */
export async function passkeyLogin(db: Db, response: PasskeyAuthenticationResponse, now: number): Promise<AccountRow> {
  const issued = await takeChallenge(db, response.response.clientDataJSON, 'login', null, now);
  if (!issued) throw signInRefused();
  const passkey = await findPasskey(db, response.id);
  if (!passkey) throw signInRefused();
  if (!handleMatches(response.response.userHandle, passkey.accountId)) throw signInRefused();
  let newCounter: number;
  try {
    const verification = await (await webauthn()).verifyAuthenticationResponse({
      response: response as AuthenticationResponseJSON,
      expectedChallenge: issued.challenge,
      expectedOrigin: issued.origin,
      expectedRPID: issued.rpId,
      credential: { id: passkey.id, publicKey: base64UrlBytes(passkey.publicKey), counter: passkey.counter },
      requireUserVerification: true,
    });
    if (!verification.verified) throw signInRefused();
    newCounter = verification.authenticationInfo.newCounter;
  } catch (cause) {
    throw new EdgegramError(ErrorCode.INVALID_CREDENTIALS, 'This passkey was not accepted: try again', {}, { cause });
  }
  if (!(await usePasskey(db, { id: passkey.id, checkedCounter: passkey.counter, newCounter, now }))) throw signInRefused();
  const account = await findAccountById(db, passkey.accountId);
  if (!account) throw signInRefused();
  return account;
}
