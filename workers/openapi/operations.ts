import type { z } from 'zod';
import { AuthResult, LoginBody, LoginSecondFactorBody, MeResult, OkResult, SignupBody } from '../../protocol/http/auth.js';
import { ConnectTicket } from '../../protocol/http/connect.js';
import {
  PasskeyLoginBody,
  PasskeyLoginOptionsResult,
  PasskeyRegisterBody,
  PasskeyRegisterResult,
  PasskeyRegistrationOptionsResult,
} from '../../protocol/http/passkeys.js';
import { QrLoginBody, QrLoginPollBody, QrLoginPollResult, QrLoginResult } from '../../protocol/http/qr-login.js';
import { SessionIdParam, SessionList, TerminateOthersResult } from '../../protocol/http/sessions.js';
import {
  CreateUploadBody,
  FileIdParam,
  FileUrlQuery,
  UploadIdParam,
  UploadInfo,
  UploadPartParam,
  UploadPartResult,
  UploadStatus,
} from '../../protocol/http/uploads.js';
import { ExportIdParam, ExportUrlQuery } from '../../protocol/account-lifecycle.js';
import { FileInfo } from '../../protocol/media.js';
import { methods } from '../../protocol/methods.js';

/** An object schema whose keys are URL parameters (path or query), as the route parses them. */
type ParamsSchema = z.ZodObject;

export type Operation = {
  summary: string;
  /** The path template's `{name}`s, with the schema the route parses `c.req.param()` with. */
  params?: ParamsSchema;
  /** The query string, with the schema the route parses `c.req.query()` with. */
  query?: ParamsSchema;
  body?: z.ZodType | 'bytes';
  /** `bytes`: the response is the file itself (206 with a Range). */
  result: z.ZodType | 'bytes';
  auth: boolean;
  status?: number;
};

/**
 * The HTTP surface, described from the same schemas the handlers parse with
 * (workers/routes/); paths use OpenAPI's `{name}` where hono writes `:name`.
 */
export const operations: Record<string, Record<string, Operation>> = {
  '/v1/auth/signup': { post: { summary: 'Create an account and sign in', body: SignupBody, result: AuthResult, auth: false, status: 201 } },
  '/v1/auth/login': {
    post: { summary: 'Sign in on a new device (SECOND_FACTOR_REQUIRED with a login_token when the account has two-step verification)', body: LoginBody, result: AuthResult, auth: false },
  },
  '/v1/auth/login/second-factor': {
    post: { summary: "A login's second step: the login_token and a TOTP or recovery code (5 minutes, once)", body: LoginSecondFactorBody, result: AuthResult, auth: false },
  },
  '/v1/auth/passkeys/register/options': {
    post: { summary: 'Start adding a passkey: WebAuthn creation options (the challenge is single-use, 5 minutes)', result: PasskeyRegistrationOptionsResult, auth: true },
  },
  '/v1/auth/passkeys/register': {
    post: { summary: "Add a passkey: the browser's RegistrationResponseJSON and a name", body: PasskeyRegisterBody, result: PasskeyRegisterResult, auth: true, status: 201 },
  },
  '/v1/auth/passkeys/login/options': {
    post: { summary: 'Start a passkey sign-in: WebAuthn request options (discoverable credentials; single-use challenge)', result: PasskeyLoginOptionsResult, auth: false },
  },
  '/v1/auth/passkeys/login': {
    post: { summary: "Sign in with a passkey: the browser's AuthenticationResponseJSON (both factors: no second step)", body: PasskeyLoginBody, result: AuthResult, auth: false },
  },
  '/v1/auth/qr-login': {
    post: { summary: 'QR login: a token (about a minute, once) for a signed-in device to approve with acceptLoginToken', body: QrLoginBody, result: QrLoginResult, auth: false, status: 201 },
  },
  '/v1/auth/qr-login/poll': {
    post: { summary: 'QR login: waiting, or the session once approved (LOGIN_TOKEN_EXPIRED / LOGIN_TOKEN_INVALID)', body: QrLoginPollBody, result: QrLoginPollResult, auth: false },
  },
  '/v1/auth/logout': { post: { summary: 'End this session', result: OkResult, auth: true } },
  '/v1/auth/me': { get: { summary: 'The signed-in account', result: MeResult, auth: true } },
  '/v1/sessions': { get: { summary: 'Active sessions (devices)', result: SessionList, auth: true } },
  '/v1/sessions/{id}': { delete: { summary: 'Terminate one session; its sockets close', params: SessionIdParam, result: OkResult, auth: true } },
  '/v1/sessions/terminate-others': { post: { summary: 'Terminate all other sessions', result: TerminateOthersResult, auth: true } },
  '/v1/connect/ticket': { post: { summary: 'Mint a single-use WebSocket ticket (30 s)', result: ConnectTicket, auth: true } },
  '/v1/uploads': { post: { summary: 'Declare an upload (size ≤ 2 GiB): single or multipart, with its part size', body: CreateUploadBody, result: UploadInfo, auth: true, status: 201 } },
  '/v1/uploads/{id}': {
    get: { summary: 'Upload status: the parts stored so far (to resume)', params: UploadIdParam, result: UploadStatus, auth: true },
    put: { summary: 'The whole body of a single upload, raw bytes', params: UploadIdParam, body: 'bytes', result: UploadPartResult, auth: true },
    delete: { summary: 'Abort an upload and free what it stored', params: UploadIdParam, result: OkResult, auth: true },
  },
  '/v1/uploads/{id}/parts/{n}': {
    put: {
      summary: 'Part n (from 1) of a multipart upload, raw bytes: exactly part_size except the last; a resend replaces it',
      params: UploadPartParam,
      body: 'bytes',
      result: UploadPartResult,
      auth: true,
    },
  },
  '/v1/uploads/{id}/complete': { post: { summary: 'Turn the stored parts into a file (deduplicated, type sniffed)', params: UploadIdParam, result: FileInfo, auth: true } },
  '/v1/files/{file_id}': {
    get: {
      summary: 'Download by signed link from getFileUrl (?exp&sig[&name]); Range, If-None-Match, If-Range',
      params: FileIdParam,
      query: FileUrlQuery,
      result: 'bytes',
      auth: false,
    },
  },
  '/v1/exports/{export_id}': {
    get: {
      summary: 'A data export (zip) by the signed link from getDataExport; 403 EXPORT_LINK_EXPIRED or EXPORT_LINK_INVALID, never the file',
      params: ExportIdParam,
      query: ExportUrlQuery,
      result: 'bytes',
      auth: false,
    },
  },
};
for (const [name, m] of Object.entries(methods)) {
  operations[`/v1/call/${name}`] = { post: { summary: `Account API method ${name} (also a WebSocket call)`, body: m.params, result: m.result, auth: true } };
}
