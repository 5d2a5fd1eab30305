import type { User } from '../../../protocol/common.js';
import type { Chat } from '../../../protocol/messages.js';

/** Up to two initials for an avatar. */
export function initials(name: string): string {
  // Words that start with a letter or digit: emoji and punctuation make poor initials.
  const words = name.split(/\s+/).filter((w) => /^[\p{L}\p{N}]/u.test(w));
  const letters = words.length > 1 ? [words[0]!, words[words.length - 1]!] : words.slice(0, 1);
  return letters.map((w) => [...w][0]!.toUpperCase()).join('') || '?';
}

/** One of the seven avatar colours, stable per id. */
export function avatarColor(id: number): number {
  return Math.abs(id) % 7;
}

/** The other member of a private chat (the user's own id for "Saved Messages"). */
export function peerOf(chat: Chat, me: number): number | undefined {
  if (chat.kind !== 'private') return undefined;
  return chat.member_ids.find((id) => id !== me) ?? (chat.member_ids.includes(me) ? me : undefined);
}

export function chatTitle(chat: Chat, me: number, users: ReadonlyMap<number, User>): string {
  if (isGroupChat(chat.kind)) return chat.title ?? 'Group';
  if (chat.kind === 'channel') return chat.title ?? 'Channel';
  const peer = peerOf(chat, me);
  if (peer === me) return 'Saved Messages';
  return (peer !== undefined && users.get(peer)?.display_name) || 'Deleted account';
}

/** "3 members", or for a channel "3 subscribers". */
export function memberCount(n: number, kind: Chat['kind'] = 'group'): string {
  const noun = kind === 'channel' ? 'subscriber' : 'member';
  return `${n} ${noun}${n === 1 ? '' : 's'}`;
}

/**
 * How many members the chat has. Use this, never `member_ids.length`: in
 * supergroups and channels `member_ids` holds only the creator, the admins
 * and the viewer. (Older stored chats have no member_count: their member
 * list is complete.)
 */
export function membersOf(chat: Chat): number {
  return chat.member_count ?? chat.member_ids.length;
}

/** Basic groups and supergroups: members see each other, messages show their senders' names. */
export function isGroupChat(kind: Chat['kind']): boolean {
  return kind === 'group' || kind === 'supergroup';
}

/**
 * Supergroups and channels: their updates come through the SDK's per-chat
 * sync, their `member_ids` are not every member, and nobody's typing is sent.
 */
export function isLargeChat(kind: Chat['kind']): boolean {
  return kind === 'supergroup' || kind === 'channel';
}

/** A group's header: "3 members", and ", 2 online" once the server has counted. */
export function membersOnline(count: number, online: number | null): string {
  return memberCount(count) + (online !== null && online > 0 ? `, ${online} online` : '');
}
