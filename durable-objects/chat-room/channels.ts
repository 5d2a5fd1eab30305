import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { MAX_GROUP_MEMBERS, MAX_SUPERGROUP_MEMBERS, type ChatKind, type MemberRole, type PostComments } from '../../protocol/messages.js';
import type { SqlStore } from '../sql/store.js';
import { chatRow, chatSnapshot, requireMember, type ChatRow, type MemberRow } from './state.js';
import type { RoomContext } from './context.js';
import { may, requireRight, rightsOf } from './rights.js';
import type { Copy } from './writer.js';
import { commentsOf } from './discussion-posts.js';

/**
 * What sets channels apart from groups. Both are "managed" chats (a creator,
 * admins, members who join and leave); in a channel only the creator and
 * admins post, subscribers read and react, do not see each other, and each
 * post counts its viewers.
 */

/** Groups and channels: chats with a creator, admins and changing members. */
export function isManaged(kind: ChatKind): boolean {
  return kind === 'group' || kind === 'channel' || kind === 'supergroup';
}

/** How many members the chat may hold: a channel has no limit (a post costs the same for any audience). */
export function memberCap(kind: ChatKind): number {
  if (kind === 'channel') return Number.MAX_SAFE_INTEGER;
  return kind === 'supergroup' ? MAX_SUPERGROUP_MEMBERS : MAX_GROUP_MEMBERS;
}

export function chatFullError(kind: ChatKind): EdgegramError {
  const what = kind === 'channel' ? 'A channel holds at most' : kind === 'supergroup' ? 'A supergroup holds at most' : 'A group holds at most';
  return new EdgegramError(ErrorCode.CHAT_FULL, `${what} ${memberCap(kind)} members`);
}

/** A basic group that became a supergroup is read-only: Telegram's CHAT_MIGRATED, naming where it went. */
export function migrated(chat: ChatRow): EdgegramError {
  return new EdgegramError(
    ErrorCode.CHAT_MIGRATED,
    'This group became a supergroup: continue there',
    chat.migrated_to ? { migrated_to: chat.migrated_to } : {},
  );
}

/**
 * Bots are in channels only as admins, as in Telegram, where adding a bot
 * to a channel appoints it (a subscriber bot would have nothing to do: it
 * cannot see the posts of a channel it does not manage). So a channel's bot
 * joins as an admin, only the creator (who alone appoints admins) may add
 * one, and it is never demoted to a subscriber: removing it is the way out.
 */
export function joiningRole(kind: ChatKind, isBot: boolean): MemberRole {
  return kind === 'channel' && isBot ? 'admin' : 'member';
}

export function checkMayAddBot(chat: ChatRow, actor: MemberRow | undefined): void {
  if (chat.kind === 'channel' && actor?.role !== 'creator') throw fail.forbidden("Only the channel's creator may add a bot: it joins as an admin");
}

/** Telegram's USER_BOT: a bot in a channel stays an admin. */
export function checkMayDemote(chat: ChatRow, isBot: boolean): void {
  if (chat.kind === 'channel' && isBot) throw fail.badRequest('Bots can only be admins in channels; remove the bot instead');
}

/**
 * What the room answers a signed channel's post that came without its
 * author's name: the send path then reads the name and sends again (see
 * services/sending/send.ts). Only those posts pay for the name look-up.
 */
const AUTHOR_NAME_NEEDED = 'A signed channel post needs its author_name';

export function isAuthorNameNeeded(error: { code: string; message: string }): boolean {
  return error.code === ErrorCode.BAD_REQUEST && error.message === AUTHOR_NAME_NEEDED;
}

/** How a new message is signed: the name it carries, and whether it is sent as the chat (an anonymous admin's). */
export type Signature = { post_author: string | null; anonymous: 0 | 1 };

/**
 * The signature a new message carries: the author's name in a channel
 * with signatures on; in a group, an admin with the is_anonymous right
 * sends as the group, signed with its custom title (Telegram's
 * author_signature); else none. Checked before the send's rate token is
 * taken, so the send that supplies the name pays once.
 */
export function signatureOf(chat: ChatRow, member: MemberRow, authorName: string | undefined): Signature {
  if (chat.kind === 'group' || chat.kind === 'supergroup') {
    const anonymous = member.role !== 'member' && rightsOf(member)?.is_anonymous === true;
    return anonymous ? { post_author: member.title || null, anonymous: 1 } : { post_author: null, anonymous: 0 };
  }
  if (chat.kind !== 'channel' || !chat.signatures) return { post_author: null, anonymous: 0 };
  if (authorName === undefined) throw fail.badRequest(AUTHOR_NAME_NEEDED);
  return { post_author: authorName.slice(0, 128), anonymous: 0 };
}

/** Checked on every send after the idempotency look-up (a retry of a post made while an admin is still answered). */
export function checkMayPost(store: SqlStore, chat: ChatRow, member: MemberRow, now: number): void {
  if (chat.migrated_to) throw migrated(chat);
  if (chat.kind === 'channel') requireRight(store, chat, member, 'can_post_messages', now);
}

/**
 * Who may edit a message's text: its sender; in a channel, whose posts name
 * no sender, its creator and admins with can_edit_messages.
 */
export function mayEdit(store: SqlStore, chat: ChatRow, member: MemberRow, senderId: number, now: number): boolean {
  return senderId === member.user_id || (chat.kind === 'channel' && may(store, chat, member, 'can_edit_messages', now));
}

/** Each recipient's `chat` update, with the snapshot as that recipient may see it (see toChat). */
export function chatUpdateFor(store: SqlStore): (userId: number) => Copy {
  const chat = chatRow(store)!;
  if (chat.kind === 'private' || chat.kind === 'group') {
    const everyone = chatSnapshot(store, 0, chat);
    return () => ({ update: { type: 'chat', chat: everyone } });
  }
  return (userId) => ({ update: { type: 'chat', chat: chatSnapshot(store, userId, chat) } });
}

/**
 * Who hears of a member's change. In a channel only its managers and the
 * member itself: subscribers do not see each other come and go.
 */
export function membershipAudience(kind: ChatKind, members: readonly MemberRow[], recipients: readonly number[], subjectId: number): number[] {
  if (kind !== 'channel') return [...recipients];
  const managers = new Set(members.filter((m) => m.role !== 'member').map((m) => m.user_id));
  return recipients.filter((id) => id === subjectId || managers.has(id));
}

/**
 * The view counts of channel posts among `ids` that the member can see;
 * with `increment`, the member is first counted once per post. A view is a
 * row of `message_views`, so a reader counts once however often their
 * clients ask, and the count is that row count kept on the message. No
 * event goes out: as in Telegram, readers fetch counts for the posts they show.
 */
export function getViews(
  ctx: RoomContext,
  userId: number,
  ids: readonly number[],
  increment: boolean,
): { id: number; views: number; comments?: PostComments }[] {
  const { store } = ctx;
  const { chat } = requireMember(store, userId);
  if (chat.kind !== 'channel') throw fail.badRequest('Views are counted in channels only');
  if (ids.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw fail.badRequest('ids must be positive integers');
  const idsJson = JSON.stringify([...new Set(ids)]);
  const visible = `SELECT value FROM json_each(?2) WHERE value IN (SELECT id FROM messages WHERE deleted = 0)
    AND NOT EXISTS (SELECT 1 FROM hidden_messages h WHERE h.user_id = ?1 AND h.message_id = value)`;
  if (increment) {
    store.transaction(() => {
      // RETURNING yields only the rows actually inserted: posts this reader had not seen yet.
      const fresh = store.exec<{ message_id: number }>(
        `INSERT OR IGNORE INTO message_views (message_id, user_id) SELECT value, ?1 FROM (${visible}) RETURNING message_id`,
        userId,
        idsJson,
      );
      if (fresh.length > 0) {
        store.exec(
          'UPDATE messages SET views = views + 1 WHERE id IN (SELECT value FROM json_each(?))',
          JSON.stringify(fresh.map((f) => f.message_id)),
        );
      }
    });
  }
  // The comment counts of forwarded posts ride along (discussion-posts.ts): readers fetch both for what they show.
  const rows = store.exec<{ id: number; views: number; count: number | null; max_id: number | null }>(
    `SELECT id, COALESCE(views, 0) AS views, d.count, d.max_id FROM messages LEFT JOIN post_discussions d ON d.post_id = messages.id
     WHERE id IN (${visible}) ORDER BY id`,
    userId,
    idsJson,
  );
  return rows.map((r) => ({ id: r.id, views: r.views, ...(r.count !== null ? { comments: commentsOf({ count: r.count, max_id: r.max_id }) } : {}) }));
}

export const channelVerbs = { getViews };
