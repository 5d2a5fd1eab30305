import type { z } from 'zod';
import { fail } from '../../protocol/errors.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

/** Parses a value with a protocol schema; failures become BAD_REQUEST listing each issue. */
export function parseSchema<S extends z.ZodType>(schema: S, value: unknown, what: string): z.infer<S> {
  const result = safeParseUntrusted(schema, value);
  if (result.success) return result.data;
  const issues = result.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
  const first = issues[0];
  throw fail.badRequest(`Invalid ${what}${first ? `: ${first.path || '(root)'}: ${first.message}` : ''}`, issues);
}
