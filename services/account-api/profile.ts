import { database } from '../../d1/db.js';
import { findAccountById, updateProfile, type ProfileChange } from '../../d1/queries/accounts.js';
import { profilePhoto } from '../../d1/queries/profile-photos.js';
import { hit, type LimitRule } from '../../d1/queries/rate-limits.js';
import { BOT_USERNAME_SUFFIX } from '../../protocol/bots.js';
import { USERNAME_PATTERN } from '../../protocol/common.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { Handlers } from './dispatch.js';
import { seenUser } from './seen-users.js';

/**
 * Profile changes per account. Each one is pushed to the account's chat
 * peers, so the limit bounds that fan-out as much as it stops squatting
 * through rapid username swaps; a person fixing a typo never meets it.
 */
export const PROFILE_CHANGES: LimitRule = { limit: 20, windowMs: 60 * 60_000 };

/** Sign-up's rules for a person's username (USERNAME_INVALID); a bot's name is made by createBot. */
export function checkPersonUsername(username: string): void {
  if (!USERNAME_PATTERN.test(username)) {
    throw new EdgegramError(
      ErrorCode.USERNAME_INVALID,
      'Username must be 5-32 letters, digits or underscores, starting with a letter',
    );
  }
  // As in Telegram, names ending in "bot" are for bots: a person cannot pose as one.
  if (BOT_USERNAME_SUFFIX.test(username)) {
    throw new EdgegramError(ErrorCode.USERNAME_INVALID, "Usernames ending in 'bot' are reserved for bots");
  }
}

export function usernameTaken(): EdgegramError {
  return new EdgegramError(ErrorCode.USERNAME_TAKEN, 'This username is already taken');
}

export const profileHandlers: Handlers<'updateProfile'> = {
  /**
   * Check → write → notify: the new profile is validated, written to D1 in
   * one statement (the unique index settles a race for a username), then
   * announced. A name lives only in D1's accounts row (chats and mailboxes
   * keep user ids, clients fetch names), so that one row is the whole change.
   */
  async updateProfile(ctx, p) {
    const db = database(ctx.env.DB);
    const account = await findAccountById(db, ctx.caller.userId);
    if (!account) throw fail.unauthorized();
    // Bots have no sessions; should one ever get here, its name belongs to BotFather's rules.
    if (account.isBot) throw fail.forbidden("A bot's profile is changed by its owner");
    if (p.username !== undefined && p.username !== account.username) checkPersonUsername(p.username);

    const change: ProfileChange = {
      username: p.username ?? account.username,
      displayName: p.display_name ?? account.displayName,
      about: p.about === undefined ? account.about : p.about || null,
    };
    if (
      change.username === account.username &&
      change.displayName === account.displayName &&
      change.about === account.about
    ) {
      return { user: seenUser(account, true, await profilePhoto(db, account.id, undefined)) }; // nothing to change, nothing to announce
    }

    const limit = await hit(db, `profile:acct:${account.id}`, PROFILE_CHANGES, ctx.now());
    if (limit.count > PROFILE_CHANGES.limit) throw fail.rateLimited(limit.retryAfterSec);
    if (!(await updateProfile(db, account.id, change))) throw usernameTaken();

    const user = seenUser({ ...account, ...change }, true, await profilePhoto(db, account.id, undefined));
    // The change is committed: a failed announcement must not report it as failed.
    await ctx.own.announceProfile(user).catch((err: unknown) => console.error('announcing a profile change failed', err));
    return { user };
  },
};
