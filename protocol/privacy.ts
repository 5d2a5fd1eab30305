import { z } from 'zod';
import { Id } from './common.js';

/**
 * Privacy settings, in Telegram's shape: for each kind of information or
 * contact, who gets it — everybody, my contacts, or nobody — with people
 * always allowed and never allowed on top (a person on both lists is never
 * allowed). Enforced where the data is served.
 */
export const PrivacyKey = z.enum([
  /** Online status and the time last seen (getUsers, presence events). */
  'last_seen',
  /** The bio (User.about) others read. */
  'bio',
  /** Who may add me to groups and channels (adds and new groups naming me); the rest are told to send me an invite link. */
  'group_invites',
  /** The profile photo and its history (User.photo, getUserPhotos, getUserPhotoUrl, `user` events). */
  'profile_photo',
  /** Whose forwards of my messages link to my account; the rest show my name alone (ForwardInfo.from_name). */
  'forwards',
  /** Whose first message starts a chat in my main list; the rest land among my message requests until I accept. */
  'messages',
  /** Who may call me (asked by call setup; calls are not built yet). */
  'calls',
]);
export type PrivacyKey = z.infer<typeof PrivacyKey>;

export const PrivacyValue = z.enum(['everybody', 'contacts', 'nobody']);
export type PrivacyValue = z.infer<typeof PrivacyValue>;

/** Most people one exception list holds. */
export const MAX_PRIVACY_EXCEPTIONS = 1_000;

export const PrivacyRule = z.object({
  value: PrivacyValue,
  /** Always allowed, whatever `value` says (unless also never allowed). */
  allow_user_ids: z.array(Id).max(MAX_PRIVACY_EXCEPTIONS).default([]),
  /** Never allowed, whatever `value` and the other list say. */
  disallow_user_ids: z.array(Id).max(MAX_PRIVACY_EXCEPTIONS).default([]),
});
export type PrivacyRule = z.infer<typeof PrivacyRule>;

/** What an account has not set: Telegram's defaults (everybody, for every key). */
export const DEFAULT_PRIVACY: Record<PrivacyKey, PrivacyRule> = {
  last_seen: { value: 'everybody', allow_user_ids: [], disallow_user_ids: [] },
  bio: { value: 'everybody', allow_user_ids: [], disallow_user_ids: [] },
  group_invites: { value: 'everybody', allow_user_ids: [], disallow_user_ids: [] },
  profile_photo: { value: 'everybody', allow_user_ids: [], disallow_user_ids: [] },
  forwards: { value: 'everybody', allow_user_ids: [], disallow_user_ids: [] },
  messages: { value: 'everybody', allow_user_ids: [], disallow_user_ids: [] },
  calls: { value: 'everybody', allow_user_ids: [], disallow_user_ids: [] },
};

/**
 * Whether the rule lets `viewerId` have the owner's information. `isContact`:
 * the owner has the viewer among its contacts (Telegram's "my contacts").
 * The owner itself always may.
 */
export function privacyAllows(rule: PrivacyRule, viewerId: number, ownerId: number, isContact: boolean): boolean {
  if (viewerId === ownerId) return true;
  if (rule.disallow_user_ids.includes(viewerId)) return false;
  if (rule.allow_user_ids.includes(viewerId)) return true;
  return rule.value === 'everybody' || (rule.value === 'contacts' && isContact);
}
