import type { LimitRule } from '../../d1/queries/rate-limits.js';

/**
 * Upload limits per account. Creating uploads is counted (and, by declared
 * size, bytes; an upload streamed without a declared size counts its bytes
 * once they end), so one account can neither flood the index nor fill the
 * bucket; open uploads are capped so half-finished ones cannot pile up.
 */
export const UPLOAD_LIMITS = {
  /** New uploads per account. */
  createsPerAccount: { limit: 100, windowMs: 10 * 60_000 },
  /** Declared (or, streamed, settled) bytes per account per day. */
  bytesPerAccount: { limit: 50 * 1024 ** 3, windowMs: 24 * 3600_000 },
} as const satisfies Record<string, LimitRule>;

/** Uploads an account may have open at once. */
export const MAX_OPEN_UPLOADS = 50;

/** An open upload is abandoned this long after its last stored part (or its creation). */
export const UPLOAD_TTL_MS = 24 * 3600_000;

/**
 * An upload's hold: the uploader's file is kept this long for its first
 * send, even though no message shows it yet. Their send ends the hold (from
 * then on the messages keep the file); a re-upload of the same bytes renews
 * it. See services/media/freeing.ts.
 */
export const UPLOAD_HOLD_MS = 24 * 3600_000;
