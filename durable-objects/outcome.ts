import { EdgegramError, toErrorBody, type ErrorBody } from '../protocol/errors.js';

/**
 * What a Durable Object RPC method returns. workerd keeps only an Error's
 * name and message across RPC, so typed errors travel as data and are
 * re-thrown on the caller's side by `unwrap`.
 */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: ErrorBody };

export async function capture<T>(fn: () => T | Promise<T>): Promise<Outcome<T>> {
  try {
    return { ok: true, value: await fn() };
  } catch (err) {
    if (!(err instanceof EdgegramError)) console.error('unexpected error in Durable Object', err);
    return { ok: false, error: toErrorBody(err) };
  }
}

export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  throw EdgegramError.fromBody(outcome.error);
}
