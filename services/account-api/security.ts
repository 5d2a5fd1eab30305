import { database } from '../../d1/db.js';
import { findAccountById, type AccountRow } from '../../d1/queries/accounts.js';
import { deleteOtherSessions } from '../../d1/queries/sessions.js';
import {
  confirmPendingSecret,
  deleteTwoFactor,
  findTwoFactor,
  replacePasswordHash,
  setPendingSecret,
  unusedRecoveryCodes,
} from '../../d1/queries/two-factor.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { hashPassword } from '../auth/password.js';
import { checkCurrentPassword, checkSecondFactorCode, matchSetupCode, wrongCredentials } from '../auth/second-factor.js';
import { hashRecoveryCode, newRecoveryCodes, newTotpSecret, normalizeRecoveryCode } from '../auth/two-factor.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';

async function caller(ctx: CallContext): Promise<AccountRow> {
  const account = await findAccountById(database(ctx.env.DB), ctx.caller.userId);
  if (!account) throw fail.unauthorized();
  return account;
}

function conflict(message: string): EdgegramError {
  return new EdgegramError(ErrorCode.CONFLICT, message);
}

export const securityHandlers: Handlers<'changePassword' | 'getTwoFactorStatus' | 'enableTwoFactor' | 'confirmTwoFactor' | 'disableTwoFactor'> = {
  /**
   * Check (current password, counted first) → write (the hash, only if it
   * is still the one checked) → sign out the other sessions in D1, then
   * close their sockets: the same two steps as terminate-others.
   */
  async changePassword(ctx, p) {
    const db = database(ctx.env.DB);
    const account = await caller(ctx);
    const now = ctx.now();
    if (!(await checkCurrentPassword(db, account.id, account.passwordHash, p.current_password, now))) {
      throw wrongCredentials('The current password is wrong');
    }
    const newHash = await hashPassword(p.new_password);
    // A change that raced this one and won makes the checked password stale: refuse, as for a wrong one.
    if (!(await replacePasswordHash(db, account.id, account.passwordHash!, newHash))) throw wrongCredentials('The current password is wrong');
    if (p.keep_other_sessions) return { ok: true, signed_out: 0 };
    const ended = await deleteOtherSessions(db, account.id, ctx.caller.sessionId);
    if (ended.length > 0) await ctx.own.closeSessions(ended);
    return { ok: true, signed_out: ended.length };
  },

  async getTwoFactorStatus(ctx) {
    const db = database(ctx.env.DB);
    const row = await findTwoFactor(db, ctx.caller.userId);
    const enabled = Boolean(row?.secret);
    return {
      enabled,
      pending: Boolean(row?.pendingSecret),
      recovery_codes_left: enabled ? await unusedRecoveryCodes(db, ctx.caller.userId) : 0,
    };
  },

  /** The secret is shown here once; from now on only the server reads it (d1/schema.ts twoFactor). */
  async enableTwoFactor(ctx, p) {
    const db = database(ctx.env.DB);
    const account = await caller(ctx);
    if ((await findTwoFactor(db, account.id))?.secret) throw conflict('Two-step verification is already on');
    if (!(await checkCurrentPassword(db, account.id, account.passwordHash, p.password, ctx.now()))) throw wrongCredentials('The password is wrong');
    const { secret, uri } = newTotpSecret(account.username);
    await setPendingSecret(db, account.id, secret);
    return { secret, uri };
  },

  async confirmTwoFactor(ctx, p) {
    const db = database(ctx.env.DB);
    const accountId = ctx.caller.userId;
    const row = await findTwoFactor(db, accountId);
    if (row?.secret) throw conflict('Two-step verification is already on');
    if (!row?.pendingSecret) throw conflict('No two-step verification setup is under way: call enableTwoFactor');
    const now = ctx.now();
    const step = await matchSetupCode(db, { accountId, pendingSecret: row.pendingSecret, code: p.code, now });
    if (step === null) throw wrongCredentials('The code is wrong');
    const codes = newRecoveryCodes();
    const recoveryHashes = await Promise.all(codes.map((c) => hashRecoveryCode(normalizeRecoveryCode(c)!)));
    const confirmed = await confirmPendingSecret(db, { accountId, secret: row.pendingSecret, step, recoveryHashes, now });
    if (!confirmed) throw conflict('The setup changed meanwhile: start again with enableTwoFactor');
    return { recovery_codes: codes };
  },

  async disableTwoFactor(ctx, p) {
    const db = database(ctx.env.DB);
    const account = await caller(ctx);
    const row = await findTwoFactor(db, account.id);
    if (!row?.secret) {
      if (row?.pendingSecret) {
        await deleteTwoFactor(db, account.id); // an unconfirmed setup protected nothing: dropping it needs no proof
        return { ok: true };
      }
      throw conflict('Two-step verification is not on');
    }
    const now = ctx.now();
    if (!(await checkCurrentPassword(db, account.id, account.passwordHash, p.password, now))) throw wrongCredentials('The password is wrong');
    if (!(await checkSecondFactorCode(db, { accountId: account.id, secret: row.secret, code: p.code, now }))) {
      throw wrongCredentials('The code is wrong or was already used');
    }
    await deleteTwoFactor(db, account.id);
    return { ok: true };
  },
};
