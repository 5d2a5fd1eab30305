import { database } from '../../d1/db.js';
import { getPrivacyRule, setPrivacyRule } from '../../d1/queries/privacy.js';
import { hit, type LimitRule } from '../../d1/queries/rate-limits.js';
import { fail } from '../../protocol/errors.js';
import type { Handlers } from './dispatch.js';

/**
 * Privacy settings (protocol/privacy.ts): stored in D1, read where the data
 * is served (users.ts for presence and bios, chats.ts for adds, the
 * mailbox's presence notices), so no path shares what a rule withholds.
 */

/** Privacy changes an account may make in an hour. */
export const PRIVACY_CHANGES: LimitRule = { limit: 60, windowMs: 60 * 60_000 };

export const privacyHandlers: Handlers<'getPrivacy' | 'setPrivacy'> = {
  async getPrivacy(ctx, p) {
    return { rule: await getPrivacyRule(database(ctx.env.DB), ctx.caller.userId, p.key) };
  },
  async setPrivacy(ctx, p) {
    const db = database(ctx.env.DB);
    const limit = await hit(db, `privacy:acct:${ctx.caller.userId}`, PRIVACY_CHANGES, ctx.now());
    if (limit.count > PRIVACY_CHANGES.limit) throw fail.rateLimited(limit.retryAfterSec);
    await setPrivacyRule(db, ctx.caller.userId, p.key, p.rule, ctx.now());
    // Committed: peers who lost (or gained) the presence are told now; a failed notice must not fail the change.
    if (p.key === 'last_seen') await ctx.own.announcePresenceRule().catch((err: unknown) => console.error('announcing a presence rule failed', err));
    return { rule: await getPrivacyRule(db, ctx.caller.userId, p.key) };
  },
};
