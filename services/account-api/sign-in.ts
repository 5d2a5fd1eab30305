import { z } from 'zod';
import { database } from '../../d1/db.js';
import { deletePasskey, listPasskeys, type PasskeyRow } from '../../d1/queries/passkeys.js';
import { approveQrLoginToken } from '../../d1/queries/qr-login.js';
import { hit } from '../../d1/queries/rate-limits.js';
import { fail } from '../../protocol/errors.js';
import type { Passkey } from '../../protocol/http/passkeys.js';
import { approvableToken, loginTokenInvalid, QR_LOGIN, qrLoginDevice } from '../auth/qr-login.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';

const Transports = z.array(z.string());

/** The stored JSON array of transports; anything else reads as none (they are only hints). */
function storedTransports(json: string): string[] {
  try {
    return Transports.catch([]).parse(JSON.parse(json));
  } catch {
    return [];
  }
}

export function passkeyOf(row: PasskeyRow): Passkey {
  return {
    id: row.id,
    name: row.name,
    transports: storedTransports(row.transports),
    created_at: row.createdAt,
    last_used_at: row.lastUsedAt,
  };
}

/** Approvals and checks are counted before they are evaluated, so a signed-in account cannot walk tokens fast. */
async function countApproval(ctx: CallContext, now: number): Promise<void> {
  const counted = await hit(database(ctx.env.DB), `qr-approve:acct:${ctx.caller.userId}`, QR_LOGIN.approvePerAccount, now);
  if (counted.count > QR_LOGIN.approvePerAccount.limit) throw fail.rateLimited(counted.retryAfterSec);
}

export const signInHandlers: Handlers<'getPasskeys' | 'deletePasskey' | 'checkLoginToken' | 'acceptLoginToken'> = {
  async getPasskeys(ctx) {
    const rows = await listPasskeys(database(ctx.env.DB), ctx.caller.userId);
    return { passkeys: rows.map(passkeyOf) };
  },

  /** Another account's passkey is "not found", as a missing one: ids are not probed through this. */
  async deletePasskey(ctx, p) {
    if (!(await deletePasskey(database(ctx.env.DB), ctx.caller.userId, p.id))) throw fail.notFound('Passkey');
    return { ok: true };
  },

  async checkLoginToken(ctx, p) {
    const now = ctx.now();
    await countApproval(ctx, now);
    const row = await approvableToken(database(ctx.env.DB), p.token, now);
    return { device: qrLoginDevice(row) };
  },

  /**
   * Check (live and unapproved) → write (one conditional UPDATE: a second
   * approval, or one racing this, finds it approved and is refused). The
   * session itself is made when the waiting device collects it.
   */
  async acceptLoginToken(ctx, p) {
    const db = database(ctx.env.DB);
    const now = ctx.now();
    await countApproval(ctx, now);
    const row = await approvableToken(db, p.token, now);
    const approved = await approveQrLoginToken(db, {
      tokenHash: row.tokenHash,
      accountId: ctx.caller.userId,
      now,
      collectWithinMs: QR_LOGIN.collectWithinMs,
    });
    if (!approved) throw loginTokenInvalid('This login code was already used');
    return { device: qrLoginDevice(row) };
  },
};
