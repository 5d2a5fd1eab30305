import type { z } from 'zod';
import type { DeviceInfo } from '../protocol/common.js';
import { EdgegramError, ErrorCode, ErrorResponse } from '../protocol/errors.js';
import { AuthResult, MeResult, OkResult } from '../protocol/http/auth.js';
import { ConnectTicket } from '../protocol/http/connect.js';
import {
  PasskeyLoginOptionsResult,
  PasskeyRegisterResult,
  PasskeyRegistrationOptionsResult,
  type PasskeyAuthenticationResponse,
  type PasskeyRegistrationResponse,
} from '../protocol/http/passkeys.js';
import { QrLoginPollResult, QrLoginResult } from '../protocol/http/qr-login.js';
import { SessionList, TerminateOthersResult } from '../protocol/http/sessions.js';
import { methods, type MethodInput, type MethodName, type MethodResult } from '../protocol/methods.js';
import { ClientError } from './errors.js';
import type { FetchLike } from './platform.js';

export interface SignupInput {
  username: string;
  display_name: string;
  password: string;
}

export interface LoginInput {
  username: string;
  password: string;
}

/** The second step of a login to an account with two-step verification. */
export interface LoginSecondFactorInput {
  /** From the SECOND_FACTOR_REQUIRED error of the password step (`loginTokenOf`). */
  login_token: string;
  /** The 6-digit code of the authenticator app, or a recovery code (used up). */
  code: string;
}

/**
 * The login token when `error` is the password step's SECOND_FACTOR_REQUIRED
 * (the password was right; ask for the code, then call loginSecondFactor);
 * undefined for any other error.
 */
export function loginTokenOf(error: unknown): string | undefined {
  if (!(error instanceof EdgegramError) || error.code !== ErrorCode.SECOND_FACTOR_REQUIRED) return undefined;
  return error.extra.login_token;
}

/**
 * The HTTP JSON API. Every response body is parsed with its protocol schema;
 * every failure becomes an EdgegramError (the server said no) or a
 * ClientError (the request never got a well-formed answer).
 */
export class HttpApi {
  constructor(
    private readonly baseUrl: string,
    private readonly fetch: FetchLike,
    private readonly token: () => string | undefined,
  ) {}

  signup(input: SignupInput, device: DeviceInfo): Promise<AuthResult> {
    return this.request('POST', '/v1/auth/signup', AuthResult, { ...input, device }, false);
  }

  login(input: LoginInput, device: DeviceInfo): Promise<AuthResult> {
    return this.request('POST', '/v1/auth/login', AuthResult, { ...input, device }, false);
  }

  loginSecondFactor(input: LoginSecondFactorInput, device: DeviceInfo): Promise<AuthResult> {
    return this.request('POST', '/v1/auth/login/second-factor', AuthResult, { ...input, device }, false);
  }

  passkeyRegistrationOptions(): Promise<PasskeyRegistrationOptionsResult> {
    return this.request('POST', '/v1/auth/passkeys/register/options', PasskeyRegistrationOptionsResult);
  }

  registerPasskey(name: string, response: PasskeyRegistrationResponse): Promise<PasskeyRegisterResult> {
    return this.request('POST', '/v1/auth/passkeys/register', PasskeyRegisterResult, { name, response });
  }

  passkeyLoginOptions(): Promise<PasskeyLoginOptionsResult> {
    return this.request('POST', '/v1/auth/passkeys/login/options', PasskeyLoginOptionsResult, undefined, false);
  }

  passkeyLogin(response: PasskeyAuthenticationResponse, device: DeviceInfo): Promise<AuthResult> {
    return this.request('POST', '/v1/auth/passkeys/login', AuthResult, { response, device }, false);
  }

  qrLogin(device: DeviceInfo, replaces?: string): Promise<QrLoginResult> {
    return this.request('POST', '/v1/auth/qr-login', QrLoginResult, { device, ...(replaces && { replaces }) }, false);
  }

  qrLoginPoll(token: string): Promise<QrLoginPollResult> {
    return this.request('POST', '/v1/auth/qr-login/poll', QrLoginPollResult, { token }, false);
  }

  logout(): Promise<OkResult> {
    return this.request('POST', '/v1/auth/logout', OkResult);
  }

  me(): Promise<MeResult> {
    return this.request('GET', '/v1/auth/me', MeResult);
  }

  sessions(): Promise<SessionList> {
    return this.request('GET', '/v1/sessions', SessionList);
  }

  terminateSession(id: string): Promise<OkResult> {
    return this.request('DELETE', `/v1/sessions/${encodeURIComponent(id)}`, OkResult);
  }

  terminateOtherSessions(): Promise<TerminateOthersResult> {
    return this.request('POST', '/v1/sessions/terminate-others', TerminateOthersResult);
  }

  connectTicket(): Promise<ConnectTicket> {
    return this.request('POST', '/v1/connect/ticket', ConnectTicket);
  }

  /** Any account method over HTTP, without a socket (bots, scripts). */
  call<M extends MethodName>(method: M, params: MethodInput<M>): Promise<MethodResult<M>> {
    const schema = methods[method].result as unknown as z.ZodType<MethodResult<M>>;
    return this.request('POST', `/v1/call/${method}`, schema, params);
  }

  /** `ws(s)://host/path` for a path relative to the API origin. */
  socketUrl(path: string): string {
    const url = new URL(path, this.baseUrl);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    return url.toString();
  }

  async request<T>(method: string, path: string, schema: z.ZodType<T>, body?: unknown, auth = true): Promise<T> {
    const json = body === undefined ? {} : { body: JSON.stringify(body), contentType: 'application/json' };
    return this.send(method, path, schema, { ...json, auth });
  }

  /** Raw bytes up (upload parts), JSON down. */
  sendBytes<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    bytes: Uint8Array | Blob,
    signal?: AbortSignal,
    onSent?: (sentBytes: number) => void,
  ): Promise<T> {
    return this.send(method, path, schema, { body: bytes, contentType: 'application/octet-stream', auth: true, signal, onSent });
  }

  /** An absolute URL for a path relative to the API origin. */
  url(path: string): string {
    return new URL(path, this.baseUrl).toString();
  }

  private async send<T>(
    method: string,
    path: string,
    schema: z.ZodType<T>,
    options: {
      body?: string | Uint8Array | Blob;
      contentType?: string;
      auth: boolean;
      signal?: AbortSignal | undefined;
      onSent?: ((sentBytes: number) => void) | undefined;
    },
  ): Promise<T> {
    const { body, auth } = options;
    const headers: Record<string, string> = {};
    if (auth) {
      const token = this.token();
      if (!token) throw new ClientError('NO_SESSION', 'Not signed in: call login, signup or useSession first');
      headers.authorization = `Bearer ${token}`;
    }
    if (options.contentType) headers['content-type'] = options.contentType;
    let status: number;
    let text: string;
    try {
      const response = await this.fetch(this.url(path), {
        method,
        headers,
        ...(body !== undefined && { body }),
        ...(options.signal && { signal: options.signal }),
        ...(options.onSent && { onUploadProgress: options.onSent }),
      });
      status = response.status;
      text = await response.text();
    } catch (cause) {
      throw new ClientError('NETWORK', `${method} ${path} failed: ${String(cause)}`, { cause });
    }
    const json = parseJson(text);
    if (status < 200 || status > 299) throw errorOf(status, json, `${method} ${path}`);
    const parsed = schema.safeParse(json);
    if (!parsed.success) {
      throw new ClientError('PROTOCOL', `Malformed response to ${method} ${path}`, { cause: parsed.error });
    }
    return parsed.data;
  }
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

const CODE_BY_STATUS: Partial<Record<number, ErrorCode>> = {
  401: ErrorCode.UNAUTHORIZED,
  403: ErrorCode.FORBIDDEN,
  404: ErrorCode.NOT_FOUND,
  413: ErrorCode.PAYLOAD_TOO_LARGE,
  429: ErrorCode.RATE_LIMITED,
};

/** The server's error if the body carries one; otherwise a code that fits the status (e.g. a proxy's 502). */
export function errorOf(status: number, json: unknown, what: string): EdgegramError {
  const parsed = ErrorResponse.safeParse(json);
  if (parsed.success) return EdgegramError.fromBody(parsed.data.error);
  const code = CODE_BY_STATUS[status] ?? (status >= 500 ? ErrorCode.INTERNAL : ErrorCode.BAD_REQUEST);
  return new EdgegramError(code, `${what} answered HTTP ${status}`);
}
