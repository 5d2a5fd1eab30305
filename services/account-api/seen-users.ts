import type { Db } from '../../d1/db.js';
import { toUser, type AccountRow } from '../../d1/queries/accounts.js';
import { ownersAllowingEach } from '../../d1/queries/privacy.js';
import { currentProfilePhotos } from '../../d1/queries/profile-photos.js';
import type { User } from '../../protocol/common.js';
import type { UserPhoto } from '../../protocol/profile-photos.js';

type PersonRow = Pick<AccountRow, 'id' | 'username' | 'displayName' | 'isBot'> & { about?: string | null };

/**
 * People as one viewer may see them: the bio and the current photo only
 * where the person's privacy rules (and the absence of a block) share them.
 * Every path that serves User objects to an account goes through here
 * (getUsers, resolveUsername, getDialogs, member lists, contacts, the block
 * list), so no endpoint leaks around a rule. Three D1 reads for the rules
 * plus one for the photos, whatever the number of people.
 */
export async function usersSeenBy(db: Db, viewerId: number, rows: readonly PersonRow[]): Promise<User[]> {
  return (await peopleSeenBy(db, viewerId, rows)).users;
}

/** The same, with whose presence the viewer may see (getUsers asks for it in the same reads). */
export async function peopleSeenBy(db: Db, viewerId: number, rows: readonly PersonRow[]): Promise<{ users: User[]; showsPresence: Set<number> }> {
  const allowed = await ownersAllowingEach(db, viewerId, rows.map((r) => r.id), ['bio', 'profile_photo', 'last_seen']);
  const photos = await currentProfilePhotos(db, [...allowed.profile_photo]);
  return {
    users: rows.map((r) => seenUser(r, allowed.bio.has(r.id), photos.get(r.id))),
    showsPresence: allowed.last_seen,
  };
}

/** One person: the bio where allowed, the photo where given. */
export function seenUser(row: PersonRow, withBio: boolean, photo: UserPhoto | undefined): User {
  const { about, ...user } = toUser(row);
  if (user.deleted) return user; // a deleted account shows nothing of who it was
  return { ...user, ...(withBio && about ? { about } : {}), ...(photo ? { photo: { id: photo.id, date: photo.date } } : {}) };
}
