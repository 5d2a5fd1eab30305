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

/** The methods of deleting one's account and reporting (spread into protocol/methods.ts). */
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
