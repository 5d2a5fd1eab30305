import { z } from 'zod';
import { DeviceInfo, Timestamp } from '../common.js';

/**
 * Passkeys (WebAuthn). The browser's side is the standard JSON form of
 * WebAuthn (`PublicKeyCredentialCreationOptionsJSON` and friends, as
 * @simplewebauthn/browser and `PublicKeyCredential.parseCreationOptionsFromJSON`
 * take and give them); these schemas check their shape and sizes only, the
 * server verifies their content.
 */

const Base64Url = z.string().regex(/^[A-Za-z0-9_-]*$/, 'not base64url');
/** Credential ids are at most 1,023 bytes (WebAuthn §5.8.3): 1,364 base64url characters. */
const CredentialId = Base64Url.min(1).max(1364);
const Encoded = Base64Url.max(16_384);

/** What a person calls a passkey ("MacBook Touch ID"). */
export const PasskeyName = z.string().trim().min(1).max(64);

/** A registered passkey, as its owner sees it (never its key). */
export const Passkey = z.object({
  id: z.string(),
  name: z.string(),
  /** The authenticator's transports (internal, hybrid, usb, nfc, ble…). */
  transports: z.array(z.string()),
  created_at: Timestamp,
  last_used_at: Timestamp.nullable(),
});
export type Passkey = z.infer<typeof Passkey>;

/** WebAuthn's creation options in JSON (the challenge inside is single-use and expires in 5 minutes). */
export const PasskeyCreationOptions = z.looseObject({
  challenge: z.string(),
  rp: z.looseObject({ id: z.string().optional(), name: z.string() }),
  user: z.looseObject({ id: z.string(), name: z.string(), displayName: z.string() }),
  pubKeyCredParams: z.array(z.looseObject({ type: z.literal('public-key'), alg: z.number() })),
});
export type PasskeyCreationOptions = z.infer<typeof PasskeyCreationOptions>;

/** WebAuthn's request options in JSON: no credential list, so the authenticator offers its passkeys for this site. */
export const PasskeyRequestOptions = z.looseObject({ challenge: z.string(), rpId: z.string().optional() });
export type PasskeyRequestOptions = z.infer<typeof PasskeyRequestOptions>;

export const PasskeyRegistrationOptionsResult = z.object({ options: PasskeyCreationOptions });
export type PasskeyRegistrationOptionsResult = z.infer<typeof PasskeyRegistrationOptionsResult>;
export const PasskeyLoginOptionsResult = z.object({ options: PasskeyRequestOptions });
export type PasskeyLoginOptionsResult = z.infer<typeof PasskeyLoginOptionsResult>;

/** `RegistrationResponseJSON`: the new credential, as the browser returns it. */
export const PasskeyRegistrationResponse = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: Encoded,
    attestationObject: Encoded,
    authenticatorData: Encoded.optional(),
    transports: z.array(z.string().max(32)).max(10).optional(),
    publicKeyAlgorithm: z.number().int().optional(),
    publicKey: Encoded.optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type PasskeyRegistrationResponse = z.infer<typeof PasskeyRegistrationResponse>;

/** `AuthenticationResponseJSON`: a passkey's signature over a sign-in challenge. */
export const PasskeyAuthenticationResponse = z.object({
  id: CredentialId,
  rawId: CredentialId,
  type: z.literal('public-key'),
  response: z.object({
    clientDataJSON: Encoded,
    authenticatorData: Encoded,
    signature: Encoded,
    userHandle: Base64Url.max(128).optional(),
  }),
  authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
});
export type PasskeyAuthenticationResponse = z.infer<typeof PasskeyAuthenticationResponse>;

export const PasskeyRegisterBody = z.object({ name: PasskeyName, response: PasskeyRegistrationResponse });
export type PasskeyRegisterBody = z.infer<typeof PasskeyRegisterBody>;
export const PasskeyRegisterResult = z.object({ passkey: Passkey });
export type PasskeyRegisterResult = z.infer<typeof PasskeyRegisterResult>;

export const PasskeyLoginBody = z.object({ response: PasskeyAuthenticationResponse, device: DeviceInfo });
export type PasskeyLoginBody = z.infer<typeof PasskeyLoginBody>;
