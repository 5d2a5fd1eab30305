import type { Context } from 'hono';
import type { z } from 'zod';
import { parseSchema } from '../durable-objects/methods/parse.js';
import { EdgegramError, ErrorCode } from '../protocol/errors.js';

/** Bodies above this are refused before parsing: no endpoint so far needs more. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;


/** Reads and validates a JSON body, with a size cap and a distinct code for malformed JSON. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await readCapped(c.req.raw.body, MAX_JSON_BODY_BYTES);
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch (cause) {
    throw new EdgegramError(ErrorCode.MALFORMED_JSON, 'Request body is not valid JSON', {}, { cause });
  }
  return parseSchema(schema, value, 'request body');
}

/**
 * Reads the body as text, giving up as soon as it passes `max` bytes: a
 * chunked body declares no length, and buffering all of it could exhaust the
 * isolate's 128 MB before the size check ran.
 */
async function readCapped(body: ReadableStream<Uint8Array> | null, max: number): Promise<string> {
  if (!body) return '';
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return new TextDecoder().decode(bytes);
}

function tooLarge() {
  return new EdgegramError(ErrorCode.PAYLOAD_TOO_LARGE, `Request body exceeds ${MAX_JSON_BODY_BYTES} bytes`);
}
