import { database, type Db } from '../../d1/db.js';
import { findAccountById } from '../../d1/queries/accounts.js';
import { ownersAllowing } from '../../d1/queries/privacy.js';
import {
  addProfilePhoto,
  countProfilePhotos,
  deleteProfilePhotos,
  profilePhoto,
  profilePhotosOf,
} from '../../d1/queries/profile-photos.js';
import { hit } from '../../d1/queries/rate-limits.js';
import { unreferencedFiles } from '../../d1/queries/files.js';
import { fileReaper } from '../../durable-objects/stubs.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { MAX_PROFILE_PHOTOS } from '../../protocol/profile-photos.js';
import { claimChatPhoto, keepChatPhoto } from '../media/chat-photos.js';
import { fileUrl } from '../media/file-urls.js';
import { IN_FLIGHT_MS } from '../media/freeing.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { PROFILE_CHANGES } from './profile.js';
import { seenUser } from './seen-users.js';

/**
 * Profile photos (protocol/profile-photos.ts). The files are checked as a
 * chat photo's are (the setter's own upload, an image, size limits), kept
 * by a ref under the account (d1/queries/profile-photos.ts) and freed by the
 * file reaper once no photo of the history shows them. Who sees them is the
 * owner's "profile_photo" rule, asked on every read here and in
 * seen-users.ts. A change is announced to chat peers like a name change.
 */
export const profilePhotoHandlers: Handlers<'setProfilePhoto' | 'deleteProfilePhotos' | 'getUserPhotos' | 'getUserPhotoUrl'> = {
  async setProfilePhoto(ctx, p) {
    const db = database(ctx.env.DB);
    const me = ctx.caller.userId;
    if ((await countProfilePhotos(db, me)) >= MAX_PROFILE_PHOTOS) {
      throw fail.forbidden(`At most ${MAX_PROFILE_PHOTOS} profile photos; delete some first`);
    }
    const limit = await hit(db, `profile:acct:${me}`, PROFILE_CHANGES, ctx.now());
    if (limit.count > PROFILE_CHANGES.limit) throw fail.rateLimited(limit.retryAfterSec);
    const input = await claimChatPhoto(db, me, p, ctx.now());
    const photo = await addProfilePhoto(db, me, input, ctx.now());
    // The ref keeps the files now: the upload holds end, as after a send.
    await keepChatPhoto(db, me, input, ctx.now());
    await announce(ctx, db);
    return { photo };
  },
  async deleteProfilePhotos(ctx, p) {
    const db = database(ctx.env.DB);
    const me = ctx.caller.userId;
    const { deleted, released } = await deleteProfilePhotos(db, me, p.ids, ctx.now());
    // Files no message shows either get their reaper (freed IN_FLIGHT_MS from now: the unref touched them).
    const orphaned = released.length > 0 ? await unreferencedFiles(db, released) : [];
    await Promise.all(orphaned.map((id) => fileReaper(ctx.env, id).release(id, ctx.now() + IN_FLIGHT_MS)));
    if (deleted.length > 0) await announce(ctx, db);
    return { deleted };
  },
  async getUserPhotos(ctx, p) {
    const db = database(ctx.env.DB);
    if (!(await mayViewPhotos(ctx, db, p.user_id))) return { photos: [], count: 0 };
    return { photos: await profilePhotosOf(db, p.user_id, p.offset, p.limit), count: await countProfilePhotos(db, p.user_id) };
  },
  async getUserPhotoUrl(ctx, p) {
    const db = database(ctx.env.DB);
    // No photo, no such person, or none the caller may see: one answer, so a refusal says nothing.
    const photo = (await mayViewPhotos(ctx, db, p.user_id)) ? await profilePhoto(db, p.user_id, p.photo_id) : undefined;
    if (!photo) throw new EdgegramError(ErrorCode.FILE_NOT_FOUND, 'No such photo');
    return fileUrl(ctx.env.DB, (p.big ? photo.big : photo.small).id, null, ctx.now());
  },
};

/** The owner's "profile_photo" rule, with blocks (a blocker shows nothing). */
async function mayViewPhotos(ctx: CallContext, db: Db, ownerId: number): Promise<boolean> {
  return (await ownersAllowing(db, ctx.caller.userId, [ownerId], 'profile_photo')).has(ownerId);
}

/** The caller's profile as it is now, to its own devices and its chat peers (each sees what its rules share). */
async function announce(ctx: CallContext, db: Db): Promise<void> {
  const account = await findAccountById(db, ctx.caller.userId);
  if (!account) return;
  const user = seenUser(account, true, await profilePhoto(db, account.id, undefined));
  // The change is committed: a failed announcement must not report it as failed.
  await ctx.own.announceProfile(user).catch((err: unknown) => console.error('announcing a profile change failed', err));
}
