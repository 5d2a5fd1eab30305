import { z } from 'zod';
import { Id, Timestamp } from './common.js';
import { FileUrl, InputChatPhoto, MediaFile } from './media.js';

/** Most photos one account keeps in its history (setting one more drops the oldest). */
export const MAX_PROFILE_PHOTOS = 100;

/** One photo of a person's history: its two sizes, as with a chat's photo. The newest is the current one. */
export const UserPhoto = z.object({
  id: Id,
  big: MediaFile,
  small: MediaFile,
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  date: Timestamp,
});
export type UserPhoto = z.infer<typeof UserPhoto>;

/**
 * Account methods for profile photos (spread into protocol/methods.ts). Who
 * sees them is the owner's "profile_photo" privacy rule (and blocks), asked
 * wherever they are served: User.photo, getUserPhotos, getUserPhotoUrl.
 */
export const profilePhotoMethods = {
  /**
   * Makes an uploaded image (the caller's own upload, at most
   * MAX_CHAT_PHOTO_SIZE; a preview at most MAX_THUMB_SIZE) the caller's
   * current photo; the one before stays in the history. People who share a
   * chat with the caller get a `user` event.
   */
  setProfilePhoto: { params: z.strictObject(InputChatPhoto.shape), result: z.object({ photo: UserPhoto }) },
  /** Removes these photos of the caller's history (others' ids and unknown ones are ignored); the newest left becomes current. */
  deleteProfilePhotos: {
    params: z.strictObject({ ids: z.array(Id).min(1).max(MAX_PROFILE_PHOTOS) }),
    result: z.object({ deleted: z.array(Id) }),
  },
  /** A person's photos, newest first, where their privacy lets the caller see them (otherwise none). */
  getUserPhotos: {
    params: z.strictObject({
      user_id: Id,
      offset: z.number().int().nonnegative().default(0),
      limit: z.number().int().min(1).max(MAX_PROFILE_PHOTOS).default(20),
    }),
    result: z.object({ photos: z.array(UserPhoto), count: z.number().int().nonnegative() }),
  },
  /**
   * A download link to one of a person's photos (the current one when
   * `photo_id` is omitted), small unless `big`. FILE_NOT_FOUND when there is
   * none the caller may see (privacy, a block, or no photo: the same answer).
   */
  getUserPhotoUrl: {
    params: z.strictObject({ user_id: Id, photo_id: Id.optional(), big: z.boolean().optional() }),
    result: FileUrl,
  },
} as const;
