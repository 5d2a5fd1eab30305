import type { User } from '../../../protocol/common.js';
import type { Chat, ChatMember, MemberRestriction, MemberRole } from '../../../protocol/messages.js';
import type { BotApiChat, BotApiChatMember, BotApiChatPermissions, BotApiUser } from '../../../protocol/bot-api/types.js';
import { botIdOfChat } from '../chat-ids.js';

/** An Edgegram account as a Bot API User. The display name is the first name (Edgegram keeps one name). */
export function toBotUser(user: User): BotApiUser {
  return {
    id: user.id,
    is_bot: user.is_bot,
    first_name: user.display_name,
    ...(user.username ? { username: user.username } : {}),
  };
}

/** A stand-in for an account that no longer resolves (so a translation never fails on it). */
export function unknownUser(id: number): BotApiUser {
  return { id, is_bot: false, first_name: 'Deleted Account' };
}

export function userOf(users: ReadonlyMap<number, User>, id: number): BotApiUser {
  const user = users.get(id);
  return user ? toBotUser(user) : unknownUser(id);
}

/**
 * The chat as the bot sees it. A private chat is named by the other member
 * (its id is that user's id, as in Telegram); a group by its negated id, a
 * supergroup or channel by Telegram's -100 form (../chat-ids.ts).
 */
export function toBotChat(chat: Chat, botId: number, users: ReadonlyMap<number, User>): BotApiChat {
  if (chat.kind === 'private') {
    const peerId = chat.member_ids.find((id) => id !== botId) ?? botId;
    const peer = userOf(users, peerId);
    return {
      id: peerId,
      type: 'private',
      first_name: peer.first_name,
      ...(peer.username ? { username: peer.username } : {}),
    };
  }
  return { id: botIdOfChat(chat.kind, chat.id), type: chat.kind, title: chat.title ?? '' };
}

/** The private-chat peer a bot sees, or undefined for groups. */
export function privatePeer(chat: Chat, botId: number): number | undefined {
  return chat.kind === 'private' ? (chat.member_ids.find((id) => id !== botId) ?? botId) : undefined;
}

const ADMIN_RIGHTS = {
  can_be_edited: false,
  is_anonymous: false,
  can_manage_chat: true,
  can_delete_messages: true,
  can_manage_video_chats: false,
  can_restrict_members: true,
  can_promote_members: false,
  can_change_info: true,
  can_invite_users: true,
  can_post_stories: false,
  can_edit_stories: false,
  can_delete_stories: false,
  can_pin_messages: true,
};

/** A member's role (null: not a member) as a Bot API ChatMember. */
export function toBotChatMember(role: MemberRole | null, user: BotApiUser, kicked = false): BotApiChatMember {
  if (kicked) return { status: 'kicked', user, until_date: 0 };
  switch (role) {
    case 'creator':
      return { status: 'creator', user, is_anonymous: false };
    case 'admin':
      return { status: 'administrator', user, ...ADMIN_RIGHTS };
    case 'member':
      return { status: 'member', user };
    case null:
      return { status: 'left', user };
    default: {
      const exhaustive: never = role;
      throw new Error(`unknown role ${String(exhaustive)}`);
    }
  }
}

/**
 * A member as a Bot API ChatMember: "restricted" (with Telegram's
 * permission fields, media ones all following can_send_media) while a
 * restriction is in force, else by role.
 */
export function toBotMember(member: ChatMember | null, user: BotApiUser): BotApiChatMember {
  if (member?.restriction) return toBotRestricted(member.restriction, user);
  return toBotChatMember(member?.role ?? null, user);
}

function toBotRestricted(r: MemberRestriction, user: BotApiUser): BotApiChatMember {
  return {
    status: 'restricted',
    user,
    is_member: true,
    ...permissionsOf(r.can_send_messages, r.can_send_media),
    until_date: r.until === null ? 0 : Math.floor(r.until / 1000),
  };
}

/** Edgegram's two permissions spelled as Telegram's ChatPermissions (what Edgegram has no notion of stays as members have it). */
export function permissionsOf(messages: boolean, media: boolean): BotApiChatPermissions {
  return {
    can_send_messages: messages,
    can_send_audios: media,
    can_send_documents: media,
    can_send_photos: media,
    can_send_videos: media,
    can_send_video_notes: media,
    can_send_voice_notes: media,
    can_send_polls: false,
    can_send_other_messages: media,
    can_add_web_page_previews: messages,
    can_change_info: false,
    can_invite_users: false,
    can_pin_messages: false,
    can_manage_topics: false,
  };
}
