import { z } from 'zod';
import { ErrorResponse } from '../../protocol/errors.js';
import { AuthResult, LoginBody, MeResult, OkResult, SignupBody } from '../../protocol/http/auth.js';
import { ConnectTicket } from '../../protocol/http/connect.js';
import { CreateUploadBody, UploadInfo, UploadPartResult, UploadStatus } from '../../protocol/http/uploads.js';
import { FileInfo } from '../../protocol/media.js';
import { SessionList, TerminateOthersResult } from '../../protocol/http/sessions.js';
import { methods } from '../../protocol/methods.js';
import { PROTOCOL_VERSION } from '../../protocol/version.js';
import { newApp } from '../app.js';

type Operation = {
  summary: string;
  body?: z.ZodType | 'bytes';
  /** `bytes`: the response is the file itself (206 with a Range). */
  result: z.ZodType | 'bytes';
  auth: boolean;
  status?: number;
};

/** The HTTP surface, described from the same schemas the handlers parse with. */
const operations: Record<string, Record<string, Operation>> = {
  '/v1/auth/signup': { post: { summary: 'Create an account and sign in', body: SignupBody, result: AuthResult, auth: false, status: 201 } },
  '/v1/auth/login': { post: { summary: 'Sign in on a new device', body: LoginBody, result: AuthResult, auth: false } },
  '/v1/auth/logout': { post: { summary: 'End this session', result: OkResult, auth: true } },
  '/v1/auth/me': { get: { summary: 'The signed-in account', result: MeResult, auth: true } },
  '/v1/sessions': { get: { summary: 'Active sessions (devices)', result: SessionList, auth: true } },
  '/v1/sessions/{id}': { delete: { summary: 'Terminate one session; its sockets close', result: OkResult, auth: true } },
  '/v1/sessions/terminate-others': { post: { summary: 'Terminate all other sessions', result: TerminateOthersResult, auth: true } },
  '/v1/connect/ticket': { post: { summary: 'Mint a single-use WebSocket ticket (30 s)', result: ConnectTicket, auth: true } },
  '/v1/uploads': { post: { summary: 'Declare an upload (size ≤ 2 GiB): single or multipart, with its part size', body: CreateUploadBody, result: UploadInfo, auth: true, status: 201 } },
  '/v1/uploads/{id}': {
    get: { summary: 'Upload status: the parts stored so far (to resume)', result: UploadStatus, auth: true },
    put: { summary: 'The whole body of a single upload, raw bytes', body: 'bytes', result: UploadPartResult, auth: true },
    delete: { summary: 'Abort an upload and free what it stored', result: OkResult, auth: true },
  },
  '/v1/uploads/{id}/parts/{n}': { put: { summary: 'Part n (from 1) of a multipart upload, raw bytes: exactly part_size except the last; a resend replaces it', body: 'bytes', result: UploadPartResult, auth: true } },
  '/v1/uploads/{id}/complete': { post: { summary: 'Turn the stored parts into a file (deduplicated, type sniffed)', result: FileInfo, auth: true } },
  '/v1/files/{file_id}': { get: { summary: 'Download by signed link from getFileUrl (?exp&sig[&name]); Range, If-None-Match, If-Range', result: 'bytes', auth: false } },
};
for (const [name, m] of Object.entries(methods)) {
  operations[`/v1/call/${name}`] = { post: { summary: `Account API method ${name} (also a WebSocket call)`, body: m.params, result: m.result, auth: true } };
}

const schema = (s: z.ZodType, io: 'input' | 'output') => z.toJSONSchema(s, { io, unrepresentable: 'any', target: 'openapi-3.0' });

const content = (s: z.ZodType | 'bytes', io: 'input' | 'output') =>
  s === 'bytes'
    ? { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } }
    : { 'application/json': { schema: schema(s, io) } };

function buildDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(operations)) {
    paths[path] = {};
    for (const [verb, op] of Object.entries(ops)) {
      paths[path]![verb] = {
        summary: op.summary,
        ...(op.auth ? { security: [{ bearer: [] }] } : {}),
        ...(op.body ? { requestBody: { required: true, content: content(op.body, 'input') } } : {}),
        responses: {
          [op.status ?? 200]: { description: 'OK', content: content(op.result, 'output') },
          default: { description: 'Error', content: { 'application/json': { schema: schema(ErrorResponse, 'output') } } },
        },
      };
    }
  }
  return {
    openapi: '3.0.3',
    info: { title: 'Edgegram API', version: String(PROTOCOL_VERSION) },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}

let cached: ReturnType<typeof buildDocument> | undefined;
export const openapiRoutes = newApp().get('/', (c) => c.json((cached ??= buildDocument())));
