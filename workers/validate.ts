import type { Context } from 'hono';
import type { z } from 'zod';
import { parseSchema } from '../services/account-api/parse.js';
import { EdgegramError, ErrorCode } from '../protocol/errors.js';
import { readCappedBytes } from '../services/body.js';

/** Bodies above this are refused before parsing: no endpoint so far needs more. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;


/** Reads and validates a JSON body, with a size cap and a distinct code for malformed JSON. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = new TextDecoder().decode(await readCappedBytes(c.req.raw.body, MAX_JSON_BODY_BYTES, tooLarge));
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch (cause) {
    throw new EdgegramError(ErrorCode.MALFORMED_JSON, 'Request body is not valid JSON', {}, { cause });
  }
  return parseSchema(schema, value, 'request body');
}

function tooLarge() {
  return new EdgegramError(ErrorCode.PAYLOAD_TOO_LARGE, `Request body exceeds ${MAX_JSON_BODY_BYTES} bytes`);
}
