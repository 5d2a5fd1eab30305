import { z } from 'zod';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

/**
 * How a JSON column is read back. Stored JSON is outside input from the
 * past: an older release wrote it, so it is parsed through a schema, never
 * cast. Rows whose shape follows the protocol carry the version they were
 * written at (a `v` column); each older version has an upgrade step to the
 * next, so a newer reader turns an old row into the current shape instead of
 * misreading it.
 */
export type StoredShape<S extends z.ZodType> = {
  /** What the column holds, for the error log. */
  name: string;
  schema: S;
  /** The version writers write now; columns without a `v` are always version 1. */
  current: number;
  /** `upgrades[v]` turns a version-v value into a version-(v + 1) one. */
  upgrades?: Readonly<Record<number, (value: unknown) => unknown>>;
};

export type StoredRead<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Parses one stored value written at `version`; never throws. */
export function readStored<S extends z.ZodType>(shape: StoredShape<S>, text: string, version = 1): StoredRead<z.output<S>> {
  // A row from newer code (a rollback): guessing at it could write back a wrong shape.
  if (version > shape.current) return { ok: false, reason: `version ${version} is newer than this code's ${shape.current}` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { ok: false, reason: 'not JSON' };
  }
  for (let v = version; v < shape.current; v++) {
    const step = shape.upgrades?.[v];
    if (!step) return { ok: false, reason: `no upgrade from version ${v}` };
    try {
      value = step(value);
    } catch (err) {
      return { ok: false, reason: `upgrade from version ${v} failed: ${String(err)}` };
    }
  }
  const parsed = safeParseUntrusted(shape.schema, value);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: z.prettifyError(parsed.error) };
}

/**
 * Reads a stored value, or logs why it cannot and returns `fallback`: for
 * call sites where one unreadable row must not fail the whole read (the row
 * itself stays stored, so nothing is lost, and the log names it).
 */
export function readStoredOr<S extends z.ZodType, F>(
  shape: StoredShape<S>,
  text: string,
  fallback: F,
  where: Record<string, unknown>,
  version = 1,
): z.output<S> | F {
  const read = readStored(shape, text, version);
  if (read.ok) return read.value;
  logUnreadable(shape, read.reason, where);
  return fallback;
}

/** One structured line per unreadable row, so an operator can find and repair it. */
export function logUnreadable(shape: StoredShape<z.ZodType>, reason: string, where: Record<string, unknown>): void {
  console.error(JSON.stringify({ event: 'stored_json_unreadable', shape: shape.name, ...where, reason }));
}
