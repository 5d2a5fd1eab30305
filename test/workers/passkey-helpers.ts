import type { AuthResult } from '../../protocol/http/auth.js';
import type { PasskeyLoginOptionsResult, PasskeyRegisterResult, PasskeyRegistrationOptionsResult } from '../../protocol/http/passkeys.js';
import type { QrLoginResult } from '../../protocol/http/qr-login.js';
import { SoftPasskey } from '../support/soft-authenticator.js';
import { api, BASE, device, type ApiOptions } from './helpers.js';

/** The origin the test requests reach (no Origin header: the API's own origin is the relying party). */
export const ORIGIN = BASE;

async function ok<T>(res: Response, what: string): Promise<T> {
  if (res.status >= 300) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return (await res.json()) as T;
}

export async function registrationOptions(who: { token: string }, options: ApiOptions = {}) {
  const res = await api('/v1/auth/passkeys/register/options', { method: 'POST', token: who.token, ...options });
  return (await ok<PasskeyRegistrationOptionsResult>(res, 'registration options')).options;
}

export function sendRegistration(who: { token: string }, name: string, response: unknown, options: ApiOptions = {}): Promise<Response> {
  return api('/v1/auth/passkeys/register', { body: { name, response }, token: who.token, ...options });
}

/** Adds a passkey (a software one) to the account through the real ceremony. */
export async function addPasskey(who: { token: string }, name = 'Test key'): Promise<SoftPasskey> {
  const { passkey, response } = await SoftPasskey.create(await registrationOptions(who), ORIGIN);
  await ok<PasskeyRegisterResult>(await sendRegistration(who, name, response), 'register passkey');
  return passkey;
}

export async function loginOptions(options: ApiOptions = {}) {
  return (await ok<PasskeyLoginOptionsResult>(await api('/v1/auth/passkeys/login/options', { method: 'POST', ...options }), 'login options')).options;
}

export function sendLogin(response: unknown, options: ApiOptions = {}): Promise<Response> {
  return api('/v1/auth/passkeys/login', { body: { response, device: device('Passkey phone', 'ios') }, ...options });
}

/** A full passkey sign-in; the response, for the caller to check. */
export async function passkeySignIn(passkey: SoftPasskey, options: ApiOptions = {}): Promise<Response> {
  return sendLogin(await passkey.assert(await loginOptions(options), ORIGIN), options);
}

export async function signedInWith(res: Response): Promise<AuthResult> {
  return ok<AuthResult>(res, 'sign-in');
}

/** A signed-out device's QR login token. */
export async function newQrToken(options: ApiOptions & { deviceName?: string } = {}): Promise<QrLoginResult> {
  const res = await api('/v1/auth/qr-login', { body: { device: device(options.deviceName ?? 'New tablet', 'android') }, ...options });
  return ok<QrLoginResult>(res, 'qr login token');
}

export function pollQr(token: string, options: ApiOptions = {}): Promise<Response> {
  return api('/v1/auth/qr-login/poll', { body: { token }, ...options });
}
