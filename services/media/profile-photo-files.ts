import { eq, or } from 'drizzle-orm';
import type { Db } from '../../d1/db.js';
import { findFile } from '../../d1/queries/files.js';
import { ownersAllowing } from '../../d1/queries/privacy.js';
import type { FileRow } from '../../d1/queries/uploads.js';
import { profilePhotos } from '../../d1/schema.js';

/**
 * A file of someone's profile photo, if `viewerId` may see that photo (the
 * owner's "profile_photo" rule, and no block): how a bot's getFile and its
 * file download reach photos getUserProfilePhotos named, which no chat's ref
 * lets it use. Anything else answers undefined, whether the file exists or not.
 */
export async function profilePhotoFileFor(db: Db, fileId: string, viewerId: number): Promise<FileRow | undefined> {
  const rows = await db
    .select({ owner: profilePhotos.accountId })
    .from(profilePhotos)
    .where(or(eq(profilePhotos.bigFileId, fileId), eq(profilePhotos.smallFileId, fileId)));
  if (rows.length === 0) return undefined;
  const allowed = await ownersAllowing(db, viewerId, rows.map((r) => r.owner), 'profile_photo');
  return allowed.size > 0 ? findFile(db, fileId) : undefined;
}
