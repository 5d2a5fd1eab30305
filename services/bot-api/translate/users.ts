import type { User } from '../../../protocol/common.js';
import type { AdminRights, Chat, ChatKind, ChatMember, ChatPermissions, MemberRestriction, MemberRole } from '../../../protocol/messages.js';
import type { BotApiAdminRights, BotApiChat, BotApiChatMember, BotApiChatPermissions, BotApiUser } from '../../../protocol/bot-api/types.js';
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
  return {
    id: botIdOfChat(chat.kind, chat.id),
    type: chat.kind,
    title: chat.title ?? '',
    ...(chat.username ? { username: chat.username } : {}),
    ...(chat.is_forum ? { is_forum: true as const } : {}),
  };
}

/** The private-chat peer a bot sees, or undefined for groups. */
export function privatePeer(chat: Chat, botId: number): number | undefined {
  return chat.kind === 'private' ? (chat.member_ids.find((id) => id !== botId) ?? botId) : undefined;
}

/** What admins could do before rights were granular: an old update's member without rights reads as that. */
const DEFAULT_RIGHTS: AdminRights = {
  can_change_info: true,
  can_post_messages: true,
  can_edit_messages: true,
  can_delete_messages: true,
  can_restrict_members: true,
  can_invite_users: true,
  can_pin_messages: true,
  can_manage_topics: true,
  can_manage_video_chats: true,
  can_promote_members: false,
  is_anonymous: false,
};

/** An admin's rights as Telegram's ChatMemberAdministrator spells them; `editable`: the asking bot may change them. */
export function toBotAdminRights(rights: AdminRights, kind: ChatKind | undefined, editable: boolean, title?: string): BotApiAdminRights {
  return {
    can_be_edited: editable,
    is_anonymous: rights.is_anonymous,
    can_manage_chat: true,
    can_delete_messages: rights.can_delete_messages,
    can_manage_video_chats: rights.can_manage_video_chats,
    can_restrict_members: rights.can_restrict_members,
    can_promote_members: rights.can_promote_members,
    can_change_info: rights.can_change_info,
    can_invite_users: rights.can_invite_users,
    can_post_stories: false,
    can_edit_stories: false,
    can_delete_stories: false,
    can_pin_messages: rights.can_pin_messages,
    can_manage_topics: rights.can_manage_topics,
    ...(kind === 'channel' ? { can_post_messages: rights.can_post_messages, can_edit_messages: rights.can_edit_messages } : {}),
    ...(title ? { custom_title: title } : {}),
  };
}

/** A member's role (null: not a member) as a Bot API ChatMember, when only the role is known (an update's old state). */
export function toBotChatMember(role: MemberRole | null, user: BotApiUser, kicked = false): BotApiChatMember {
  if (kicked) return { status: 'kicked', user, until_date: 0 };
  switch (role) {
    case 'creator':
      return { status: 'creator', user, is_anonymous: false };
    case 'admin':
      return { status: 'administrator', user, ...toBotAdminRights(DEFAULT_RIGHTS, undefined, false) };
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
 * restriction is in force; the creator and admins with their rights and
 * title (can_be_edited when `botId` appointed them); else by role.
 */
export function toBotMember(member: ChatMember | null, user: BotApiUser, kind?: ChatKind, botId?: number): BotApiChatMember {
  if (member?.restriction) return toBotRestricted(member.restriction, user);
  if (member?.role === 'creator') {
    return {
      status: 'creator',
      user,
      is_anonymous: member.rights?.is_anonymous ?? false,
      ...(member.title ? { custom_title: member.title } : {}),
    };
  }
  if (member?.role === 'admin') {
    const editable = botId !== undefined && member.promoted_by === botId;
    return { status: 'administrator', user, ...toBotAdminRights(member.rights ?? DEFAULT_RIGHTS, kind, editable, member.title) };
  }
  return toBotChatMember(member?.role ?? null, user);
}

function toBotRestricted(r: MemberRestriction, user: BotApiUser): BotApiChatMember {
  return {
    status: 'restricted',
    user,
    is_member: true,
    ...toBotPermissions(r),
    until_date: r.until === null ? 0 : Math.floor(r.until / 1000),
  };
}

/** Edgegram's permissions spelled as Telegram's ChatPermissions: every kind of media follows can_send_media, previews follow links. */
export function toBotPermissions(p: Omit<ChatPermissions, never>): BotApiChatPermissions {
  const media = p.can_send_media;
  return {
    can_send_messages: p.can_send_messages,
    can_send_audios: media,
    can_send_documents: media,
    can_send_photos: media,
    can_send_videos: media,
    can_send_video_notes: media,
    can_send_voice_notes: media,
    can_send_polls: p.can_send_polls,
    can_send_other_messages: media,
    can_add_web_page_previews: p.can_send_links,
    can_change_info: p.can_change_info,
    can_invite_users: p.can_invite_users,
    can_pin_messages: p.can_pin_messages,
    can_manage_topics: p.can_manage_topics,
  };
}
