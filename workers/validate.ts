import type { Context } from 'hono';
import type { z } from 'zod';
import { EdgegramError, ErrorCode, fail } from '../protocol/errors.js';

/** Bodies above this are refused before parsing: no endpoint so far needs more. */
export const MAX_JSON_BODY_BYTES = 64 * 1024;

/** Parses a value with a protocol schema; failures become BAD_REQUEST listing each issue. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown, what = 'request'): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw fail.badRequest(`Invalid ${what}${first ? `: ${first.path || '(root)'}: ${first.message}` : ''}`, issues);
}

/** Reads and validates a JSON body, with a size cap and a distinct code for malformed JSON. */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.infer<S>> {
  const declared = Number(c.req.header('content-length') ?? '0');
  if (declared > MAX_JSON_BODY_BYTES) throw tooLarge();
  const text = await c.req.text();
  if (new TextEncoder().encode(text).byteLength > MAX_JSON_BODY_BYTES) throw tooLarge();
  let value: unknown;
  try {
    value = text.length === 0 ? {} : JSON.parse(text);
  } catch (cause) {
    throw new EdgegramError(ErrorCode.MALFORMED_JSON, 'Request body is not valid JSON', {}, { cause });
  }
  return parseWith(schema, value, 'request body');
}

function tooLarge() {
  return new EdgegramError(ErrorCode.PAYLOAD_TOO_LARGE, `Request body exceeds ${MAX_JSON_BODY_BYTES} bytes`);
}
