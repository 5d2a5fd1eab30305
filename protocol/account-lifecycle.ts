import { z } from 'zod';
import { Id, Timestamp } from './common.js';

/**
 * An account's deletion as its owner sees it. `none`: nothing asked (or
 * the account was never scheduled); `scheduled`: it will be deleted at
 * `due_at` unless the owner signs in with the password or cancels first;
 * `running`: the deletion job has started and can no longer be stopped;
 * `cancelled`: a deletion was scheduled and then stopped (`cancelled_by`
 * says how: a password sign-in during the grace period, or a request).
 */
export const AccountDeletion = z.object({
  state: z.enum(['none', 'scheduled', 'running', 'cancelled']),
  requested_at: Timestamp.optional(),
  due_at: Timestamp.optional(),
  cancelled_by: z.enum(['sign_in', 'request']).optional(),
});
export type AccountDeletion = z.infer<typeof AccountDeletion>;

/** Why something is reported (Telegram's reasons). */
export const ReportReason = z.enum([
  'spam',
  'violence',
  'pornography',
  'child_abuse',
  'copyright',
  'fake',
  'illegal_drugs',
  'personal_details',
  'other',
]);
export type ReportReason = z.infer<typeof ReportReason>;

/** A reporter's own words, up to 512 characters. */
export const ReportComment = z.string().max(512);

/** Reported at once: at most this many messages. */
export const MAX_REPORTED_MESSAGES = 100;

/** What a report call answers: how many reports it added (a repeat of one already made counts 0). */
export const ReportResult = z.object({ ok: z.literal(true), added: z.number().int().nonnegative() });

/**
 * The caller's data export (Telegram's "Export Telegram data"): a zip of
 * result.json (the account, its contacts, its chats), each chat's messages
 * the caller can see as JSON lines (chats/chat_<id>/messages.jsonl) and
 * their media (media/<file id>/<name>). `url` (when `done`) is a signed
 * link that works without a token until `expires_at`.
 */
export const DataExport = z.object({
  state: z.enum(['none', 'running', 'done', 'expired', 'failed']),
  requested_at: Timestamp.optional(),
  /** Chats done of all, messages and media files written so far; `fraction` is chats done of all (0..1). */
  progress: z
    .object({
      chats_done: z.number().int().nonnegative(),
      chats_total: z.number().int().nonnegative(),
      messages: z.number().int().nonnegative(),
      fraction: z.number().min(0).max(1),
    })
    .optional(),
  url: z.string().optional(),
  expires_at: Timestamp.optional(),
  /** The archive's size in bytes, when done. */
  size: z.number().int().nonnegative().optional(),
});
export type DataExport = z.infer<typeof DataExport>;

/** `GET /v1/exports/{export_id}?exp&sig`: the download link getDataExport hands out (no token). */
export const ExportIdParam = z.object({ export_id: z.string().regex(/^[0-9a-f]{32}$/, 'not an export id') });
export const ExportUrlQuery = z.object({
  /** Expiry, Unix seconds. */
  exp: z.string().regex(/^[1-9][0-9]{0,11}$/),
  /** `<key id>.<HMAC-SHA-256 over the path and expiry, base64url>` */
  sig: z.string(),
});

/** The methods of deleting one's account, exporting its data and reporting (spread into protocol/methods.ts). */
export const accountLifecycleMethods = {
  /**
   * Schedules the caller's account for deletion after the grace period
   * (7 days by default): needs the current password, and a code from the
   * authenticator app (or a recovery code) when two-step verification is
   * on; a wrong one is INVALID_CREDENTIALS and changes nothing. Asking again
   * while scheduled answers the scheduled deletion unchanged.
   */
  deleteAccount: {
    params: z.strictObject({ password: z.string().max(256), code: z.string().max(32).optional() }),
    result: z.object({ deletion: AccountDeletion }),
  },
  /** Stops a scheduled deletion (a running one: CONFLICT; none: answered as it is). */
  cancelAccountDeletion: { params: z.strictObject({}), result: z.object({ deletion: AccountDeletion }) },
  /** The caller's deletion state: scheduled (and when), cancelled (and by what), or none. */
  getAccountDeletion: { params: z.strictObject({}), result: z.object({ deletion: AccountDeletion }) },
  /**
   * Starts building the caller's data export (one at a time: CONFLICT while
   * one runs; once a day: RATE_LIMITED). Answers its state; getDataExport
   * follows its progress.
   */
  requestDataExport: { params: z.strictObject({}), result: z.object({ export: DataExport }) },
  /** The caller's latest data export: progress while it runs, the download link when done. */
  getDataExport: { params: z.strictObject({}), result: z.object({ export: DataExport }) },
  /** Reports messages of a chat the caller can see (those it cannot: NOT_FOUND, nothing stored). */
  reportMessages: {
    params: z.strictObject({
      chat_id: Id,
      message_ids: z.array(Id).min(1).max(MAX_REPORTED_MESSAGES),
      reason: ReportReason,
      comment: ReportComment.optional(),
    }),
    result: ReportResult,
  },
  /** Reports a chat the caller is in, or a public one it can preview. */
  reportChat: { params: z.strictObject({ chat_id: Id, reason: ReportReason, comment: ReportComment.optional() }), result: ReportResult },
  /** Reports a person or bot the caller may look up (as getUsers decides). */
  reportUser: { params: z.strictObject({ user_id: Id, reason: ReportReason, comment: ReportComment.optional() }), result: ReportResult },
} as const;
