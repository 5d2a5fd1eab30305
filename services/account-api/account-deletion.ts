import { database } from '../../d1/db.js';
import { findAccountById } from '../../d1/queries/accounts.js';
import { cancelDeletion, findDeletion, scheduleDeletion, type DeletionRow } from '../../d1/queries/account-deletions.js';
import { findTwoFactor } from '../../d1/queries/two-factor.js';
import type { AccountDeletion } from '../../protocol/account-lifecycle.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { checkCurrentPassword, checkSecondFactorCode, wrongCredentials } from '../auth/second-factor.js';
import { deletionGraceMs } from '../account-lifecycle/deletion.js';
import type { Handlers } from './dispatch.js';

/** The deletion as its owner sees it (`done` is never seen: the account can no longer sign in). */
export function shownDeletion(row: DeletionRow | undefined): AccountDeletion {
  if (!row || row.state === 'done') return { state: 'none' };
  const times = { requested_at: row.requestedAt, due_at: row.dueAt };
  if (row.state === 'cancelled') return { state: 'cancelled', ...times, ...(row.cancelReason ? { cancelled_by: row.cancelReason } : {}) };
  return { state: row.state, ...times };
}

export const accountDeletionHandlers: Handlers<'deleteAccount' | 'cancelAccountDeletion' | 'getAccountDeletion'> = {
  /**
   * Check (the password, then the second factor when it is on, each under
   * its limits in services/auth/second-factor.ts) → write the schedule →
   * arm the mailbox's alarm for it. A wrong answer changes nothing.
   */
  async deleteAccount(ctx, p) {
    const db = database(ctx.env.DB);
    const account = await findAccountById(db, ctx.caller.userId);
    if (!account) throw fail.unauthorized();
    const now = ctx.now();
    const existing = await findDeletion(db, account.id);
    if (existing?.state === 'scheduled' || existing?.state === 'running') return { deletion: shownDeletion(existing) };
    if (!(await checkCurrentPassword(db, account.id, account.passwordHash, p.password, now))) throw wrongCredentials('The password is wrong');
    const secret = (await findTwoFactor(db, account.id))?.secret;
    if (secret) {
      if (p.code === undefined || p.code === '') {
        throw new EdgegramError(ErrorCode.INVALID_CREDENTIALS, 'Two-step verification is on: give a code from the authenticator app or a recovery code');
      }
      if (!(await checkSecondFactorCode(db, { accountId: account.id, secret, code: p.code, now }))) {
        throw wrongCredentials('The code is wrong or was already used');
      }
    }
    const row = await scheduleDeletion(db, account.id, now, now + deletionGraceMs(ctx.env));
    await ctx.own.scheduleAccountJob('account_deletion', row.dueAt);
    return { deletion: shownDeletion(row) };
  },

  async cancelAccountDeletion(ctx) {
    const db = database(ctx.env.DB);
    const row = await findDeletion(db, ctx.caller.userId);
    if (row?.state === 'running') throw new EdgegramError(ErrorCode.CONFLICT, 'The deletion has started and can no longer be cancelled');
    // The job's alarm stays armed: when it fires it finds nothing scheduled and does nothing.
    await cancelDeletion(db, ctx.caller.userId, 'request');
    return { deletion: shownDeletion(await findDeletion(db, ctx.caller.userId)) };
  },

  async getAccountDeletion(ctx) {
    return { deletion: shownDeletion(await findDeletion(database(ctx.env.DB), ctx.caller.userId)) };
  },
};
