import { z } from 'zod';

/**
 * `schema.safeParse` for values from outside, which never throws. Zod 4 runs
 * a length check (`min`, `max`) on any value that has a `length`, even one of
 * the wrong type, and compares it with a number: `{"length":{"toString":null}}`
 * — valid JSON — then throws a TypeError from inside zod instead of failing
 * the parse (the fuzz found it: a 500 on user input). Such a value is
 * malformed input and fails like any other.
 */
export function safeParseUntrusted<S extends z.ZodType>(schema: S, value: unknown): z.ZodSafeParseResult<z.output<S>> {
  try {
    return schema.safeParse(value);
  } catch {
    const issue = { code: 'custom' as const, message: 'Malformed value: a field is not what its length says', path: [], input: value };
    return { success: false, error: new z.ZodError([issue]) as z.ZodError<z.output<S>> };
  }
}
