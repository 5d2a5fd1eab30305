import { fail } from '../../protocol/errors.js';
import type { ChatKind, Message } from '../../protocol/messages.js';
import {
  MAX_REACTIONS_PER_BOT,
  MAX_REACTIONS_PER_USER,
  Reaction,
  type MessageReactions,
  type ReactionCount,
} from '../../protocol/reactions.js';
import type { SqlStore } from '../sql/store.js';
import { isBotMember } from './bots.js';
import { takeToken } from './send-checks.js';
import { isLarge, memberRows, requireMember, visibleMessage, type MemberRow } from './state.js';
import { commit, same } from './writer.js';
import type { RoomContext } from './context.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

/**
 * Reactions: per message, per member, a small ordered set of Telegram's
 * standard emoji. Setting a set replaces the member's previous one; the
 * change is one chat event (`message_reactions`) with the new counts.
 */

/**
 * Sets `userId`'s reactions to message `messageId` (repeats count once).
 * Unchanged reactions write nothing and announce nothing. A reaction token
 * is taken only for a real change, so re-sending the same set is free.
 */
export function setReactions(
  ctx: RoomContext,
  userId: number,
  messageId: number,
  reaction: readonly string[],
): MessageReactions {
  const { store } = ctx;
  const { chat } = requireMember(store, userId);
  if (!visibleMessage(store, userId, messageId)) throw fail.notFound('Message');
  const wanted = [...new Set(reaction)];
  if (wanted.some((e) => !safeParseUntrusted(Reaction, e).success)) throw fail.badRequest('Not an available reaction');
  const max = isBotMember(store, userId) ? MAX_REACTIONS_PER_BOT : MAX_REACTIONS_PER_USER;
  if (wanted.length > max) throw fail.badRequest(`At most ${max} reaction${max === 1 ? '' : 's'} per message`);
  const old = chosenBy(store, messageId, userId);
  if (old.length === wanted.length && old.every((e, i) => e === wanted[i])) {
    return { results: countsOf(store, [messageId]).get(messageId) ?? [], chosen: old };
  }
  takeToken(ctx, userId, 'reaction');
  return commit(ctx, (emit) => {
    store.exec('DELETE FROM reactions WHERE message_id = ? AND user_id = ?', messageId, userId);
    const at = ctx.now();
    for (const [position, emoji] of wanted.entries()) {
      store.exec(
        'INSERT INTO reactions (message_id, user_id, emoji, position, at) VALUES (?, ?, ?, ?, ?)',
        messageId,
        userId,
        emoji,
        position,
        at,
      );
    }
    const results = countsOf(store, [messageId]).get(messageId) ?? [];
    const chosen = wanted as Reaction[];
    emit.event(
      // A large chat: the reactor's devices only, for now; everyone reads the counts with the messages.
      isLarge(chat.kind) ? [userId] : reactionRecipients(store, chat.kind, memberRows(store), userId),
      same({ type: 'message_reactions', chat_id: chat.id, message_id: messageId, user_id: userId, old_reactions: old, new_reactions: chosen, results }),
    );
    return { results, chosen };
  });
}

/**
 * Who hears of a reaction: every human member. Bots only as Telegram's
 * `message_reaction` reaches them: in private chats and in groups where they
 * are admins, and never for a reaction another bot set. In a channel only
 * the reactor's own devices: subscribers do not see each other, and the
 * event names its reactor (as Telegram, channel reactions are anonymous;
 * everyone reads the counts with the post).
 */
export function reactionRecipients(store: SqlStore, kind: ChatKind, members: readonly MemberRow[], actorId: number): number[] {
  if (kind === 'channel') return [actorId];
  const bots = new Set(store.exec<{ user_id: number }>('SELECT user_id FROM bot_members').map((b) => b.user_id));
  const byBot = bots.has(actorId);
  return members
    .filter((m) => m.user_id === actorId || !bots.has(m.user_id) || (!byBot && (kind === 'private' || m.role !== 'member')))
    .map((m) => m.user_id);
}

/** The messages with their reactions as `viewerId` sees them (two queries for the whole page). */
export function withReactions(store: SqlStore, viewerId: number, messages: Message[]): Message[] {
  if (messages.length === 0) return messages;
  const ids = messages.map((m) => m.id);
  const counts = countsOf(store, ids);
  if (counts.size === 0) return messages;
  const chosen = new Map<number, Reaction[]>();
  const mine = store.exec<{ message_id: number; emoji: Reaction }>(
    `SELECT message_id, emoji FROM reactions WHERE user_id = ? AND message_id IN (SELECT value FROM json_each(?))
     ORDER BY message_id, position`,
    viewerId,
    JSON.stringify(ids),
  );
  for (const r of mine) chosen.set(r.message_id, [...(chosen.get(r.message_id) ?? []), r.emoji]);
  return messages.map((m) => {
    const results = counts.get(m.id);
    return results ? { ...m, reactions: { results, chosen: chosen.get(m.id) ?? [] } } : m;
  });
}

function chosenBy(store: SqlStore, messageId: number, userId: number): Reaction[] {
  return store
    .exec<{ emoji: Reaction }>('SELECT emoji FROM reactions WHERE message_id = ? AND user_id = ? ORDER BY position', messageId, userId)
    .map((r) => r.emoji);
}

/** Counts per message: most chosen first, ties by who chose it first. */
function countsOf(store: SqlStore, ids: readonly number[]): Map<number, ReactionCount[]> {
  const rows = store.exec<{ message_id: number; emoji: Reaction; count: number }>(
    `SELECT message_id, emoji, COUNT(*) AS count FROM reactions
     WHERE message_id IN (SELECT value FROM json_each(?)) GROUP BY message_id, emoji
     ORDER BY message_id, count DESC, MIN(at), emoji`,
    JSON.stringify(ids),
  );
  const out = new Map<number, ReactionCount[]>();
  for (const r of rows) out.set(r.message_id, [...(out.get(r.message_id) ?? []), { emoji: r.emoji, count: r.count }]);
  return out;
}

export const reactionVerbs = { setReactions };
