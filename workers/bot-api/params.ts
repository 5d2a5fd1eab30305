import { BotApiError } from '../../services/bot-api/errors.js';
import { cappedChunks, readCappedBytes } from '../../services/body.js';
import { boundaryOf } from './multipart.js';
import { MalformedMultipart, readMultipart, type FilePart } from './multipart-stream.js';

/** Telegram accepts bodies up to 50 MB (uploads); text-only calls are far smaller. */
export const MAX_FORM_BYTES = 50 * 1024 * 1024;
export const MAX_TEXT_BYTES = 1024 * 1024;

/**
 * What a multipart file part becomes among the parameters, given its bytes
 * as they arrive (uploads.ts stores them); undefined leaves it out.
 */
export type FileParam = (part: FilePart, bytes: AsyncIterable<Uint8Array>) => Promise<unknown>;

/**
 * A Bot API call's parameters, from wherever the client put them, as
 * Telegram reads them: the query string, then the body as JSON, urlencoded
 * or multipart form (a body value wins over the same query parameter; a
 * later part over an earlier one). Form values stay strings (the method's
 * schema coerces them); multipart files are streamed to `fileParam` as the
 * body arrives, never held whole.
 */
export async function readBotParams(request: Request, fileParam: FileParam): Promise<Record<string, unknown>> {
  const params: Record<string, unknown> = Object.fromEntries(new URL(request.url).searchParams);
  if (request.method === 'GET' || request.method === 'HEAD' || !request.body) return params;
  const type = (request.headers.get('content-type') ?? '').toLowerCase();
  const declared = Number(request.headers.get('content-length') ?? 'NaN');
  if (type.startsWith('multipart/form-data')) {
    if (declared > MAX_FORM_BYTES) throw tooLarge();
    // The boundary is case-sensitive: read it from the header as sent.
    const boundary = boundaryOf(request.headers.get('content-type') ?? '');
    try {
      if (!boundary) throw new MalformedMultipart('no boundary in the content type');
      await readMultipart(cappedChunks(request.body, MAX_FORM_BYTES, tooLarge), boundary, {
        text: (name, value) => {
          params[name] = value;
        },
        file: async (part, bytes) => {
          const value = await fileParam(part, bytes);
          if (value === undefined) delete params[part.name];
          else params[part.name] = value;
        },
      });
    } catch (cause) {
      // Only the form's own faults are this 400; a 413, a refused upload or a storage failure pass as they are.
      if (cause instanceof MalformedMultipart) {
        throw new BotApiError(400, "Bad Request: can't parse multipart/form-data request", undefined, { cause });
      }
      throw cause;
    }
    return params;
  }
  if (declared > MAX_TEXT_BYTES) throw tooLarge();
  const text = new TextDecoder().decode(await readCappedBytes(request.body, MAX_TEXT_BYTES, tooLarge));
  if (text.trim().length === 0) return params;
  if (type.startsWith('application/json')) {
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw new BotApiError(400, "Bad Request: can't parse JSON object", undefined, { cause });
    }
    if (typeof json !== 'object' || json === null || Array.isArray(json)) {
      throw new BotApiError(400, "Bad Request: can't parse JSON object");
    }
    return { ...params, ...(json as Record<string, unknown>) };
  }
  // urlencoded (and a body without a content type, as curl -d sends).
  for (const [key, value] of new URLSearchParams(text)) params[key] = value;
  return params;
}

function tooLarge(): BotApiError {
  return new BotApiError(413, 'Request Entity Too Large');
}
