import { fail } from '../../protocol/errors.js';
import type { ChatMember, MemberRestriction } from '../../protocol/messages.js';
import { one, type SqlStore } from '../sql/store.js';
import { chatMemberRecipients } from './bots.js';
import { botMemberRows, isLarge, memberRow, memberRows, requireMember, toChatMember, type MemberRow } from './state.js';
import { commit, same } from './writer.js';
import type { RoomContext } from './context.js';

/**
 * Restricted members: what a plain group member may still send, set by the
 * creator or an admin, for good or until a time. Telegram keeps this for
 * supergroups; Edgegram's groups are its only groups, so they have it. The
 * chat enforces it on every send (messages, media, albums, forwards) and
 * shows it on the member (`ChatMember.restriction`).
 */

export type Permissions = Pick<MemberRestriction, 'can_send_messages' | 'can_send_media'>;

type RestrictionRow = { user_id: number; can_send_messages: number; can_send_media: number; until_ms: number | null };

/** The restriction in force for `userId` now, if any: only plain members can be restricted, and an expired one is none. */
export function restrictionOf(store: SqlStore, member: MemberRow, now: number): MemberRestriction | undefined {
  if (member.role !== 'member') return undefined;
  const row = one<RestrictionRow>(store, 'SELECT * FROM restrictions WHERE user_id = ?', member.user_id);
  if (!row || (row.until_ms !== null && row.until_ms <= now)) return undefined;
  return { can_send_messages: row.can_send_messages === 1, can_send_media: row.can_send_media === 1, until: row.until_ms };
}

/** The member as the wire shows it, with a restriction in force. */
export function chatMemberOf(store: SqlStore, member: MemberRow, now: number): ChatMember {
  const restriction = restrictionOf(store, member, now);
  return restriction ? { ...toChatMember(member), restriction } : toChatMember(member);
}

/**
 * Refuses a send the sender's restriction forbids. On every send, so the
 * common case is one look-up in a (nearly always empty) table.
 */
export function checkMaySend(store: SqlStore, userId: number, withMedia: boolean, now: number): void {
  if (!one(store, 'SELECT 1 FROM restrictions WHERE user_id = ?', userId)) return;
  const member = memberRow(store, userId);
  const r = member && restrictionOf(store, member, now);
  if (!r) return;
  // Telegram's wording, which the Bot API passes on as it is.
  if (!r.can_send_messages) throw fail.forbidden('Not enough rights to send text messages to the chat');
  if (withMedia && !r.can_send_media) throw fail.forbidden('Not enough rights to send media to the chat');
}

/**
 * Sets (or, with every permission granted, lifts) a plain member's
 * restriction; the creator and admins only. Members hear of it as a
 * `chat_member` update carrying the member with its restriction.
 */
export function restrict(
  ctx: RoomContext,
  actorId: number,
  userId: number,
  permissions: Permissions,
  untilMs: number | null,
): ChatMember {
  const { store } = ctx;
  const { chat, member: actor } = requireMember(store, actorId);
  if (chat.kind !== 'group') throw fail.badRequest('Private chats have fixed members; this works in groups only');
  if (actor.role === 'member') throw fail.forbidden('Only the creator and admins may restrict members');
  if (userId === actorId) throw fail.badRequest('You cannot restrict yourself');
  const target = memberRow(store, userId);
  if (!target) throw fail.notFound('Member');
  if (target.role !== 'member') throw fail.forbidden('The creator and admins cannot be restricted');
  if (untilMs !== null && untilMs <= ctx.now()) throw fail.badRequest('until must be in the future');
  // Without messages there is no media either; kept consistent so reads need no rule.
  const media = permissions.can_send_messages && permissions.can_send_media;
  const lift = permissions.can_send_messages && media;
  // Nothing changes (lifting no restriction, or setting the one in force): nothing to write or announce.
  const current = restrictionOf(store, target, ctx.now());
  const unchanged = current
    ? !lift && current.can_send_messages === permissions.can_send_messages && current.can_send_media === media && current.until === untilMs
    : lift;
  if (unchanged) return chatMemberOf(store, target, ctx.now());
  return commit(ctx, (emit) => {
    if (lift) store.exec('DELETE FROM restrictions WHERE user_id = ?', userId);
    else {
      store.exec(
        `INSERT INTO restrictions (user_id, can_send_messages, can_send_media, until_ms) VALUES (?, ?, ?, ?)
         ON CONFLICT (user_id) DO UPDATE SET can_send_messages = excluded.can_send_messages,
           can_send_media = excluded.can_send_media, until_ms = excluded.until_ms`,
        userId,
        permissions.can_send_messages ? 1 : 0,
        media ? 1 : 0,
        untilMs,
      );
    }
    const member = chatMemberOf(store, target, ctx.now());
    // A large chat: the member and the bots (chatMemberRecipients keeps the admin ones), never everyone.
    const members = isLarge(chat.kind) ? [...botMemberRows(store), target] : memberRows(store);
    emit.event(
      chatMemberRecipients(store, members, members.map((m) => m.user_id), userId),
      same({ type: 'chat_member', chat_id: chat.id, actor_id: actorId, member, left: false, old_role: target.role }),
    );
    return member;
  });
}

export const restrictionVerbs = { restrict };
