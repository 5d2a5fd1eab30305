import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { Chat, Message } from '../../protocol/messages.js';
import { DIFFERENCE_PAGE_LIMIT, type MethodResult } from '../../protocol/methods.js';
import { ptsCountOf, type Update, type UpdateEnvelope } from '../../protocol/updates.js';
import { one } from '../sql/store.js';
import { logUnreadable, readStored } from '../sql/stored-json.js';
import type { RoomContext } from './context.js';
import { botMemberRows, chatRow, chatSnapshot, isLarge, lastVisible, requireMember, toMessage, unreadCount, type ChatRow } from './state.js';
import type { Emit } from './writer.js';
import { CHAT_LOG_BODY } from './stored.js';

/**
 * Large chats (supergroups), DESIGN rule 5: an update is logged ONCE, in
 * the chat's own `chat_log`, numbered by the chat's pts, which is every
 * member's sync cursor for the chat. Nothing is written per member: after
 * the commit the new entries go to the chat's fan-out shards (one call per
 * shard, FANOUT_SHARDS in all, whatever the member count), each of which
 * pushes them to the online members subscribed to it; offline members cost
 * nothing until they come back and ask getChannelDifference. Unread counts
 * come from the members' read pointers; bots (few per chat) still get their
 * own copies through the outbox, as in small chats.
 */

/** The log keeps this many entries; a member further behind gets "too long" and reloads the history. */
export const CHAT_LOG_RETENTION = 100_000;

/** Inside the writer's transaction: the next chat pts and its log row. */
export function appendToLog(ctx: RoomContext, update: Update): UpdateEnvelope {
  const count = ptsCountOf(update);
  const [row] = ctx.store.exec<{ pts: number }>('UPDATE chat SET pts = pts + ? RETURNING pts', count);
  const pts = row!.pts;
  const date = ctx.now();
  ctx.store.exec(
    'INSERT INTO chat_log (pts, pts_count, date, body, v) VALUES (?, ?, ?, ?, ?)',
    pts,
    count,
    date,
    JSON.stringify(update),
    CHAT_LOG_BODY.current,
  );
  prune(ctx, pts - count, pts);
  return { pts, pts_count: count, date, update };
}

/** After the commit: hand the new entries to the fan-out shards, past the caller's answer. Returns the calls it makes. */
export function broadcast(ctx: RoomContext, envelopes: UpdateEnvelope[]): number {
  const chat = chatRow(ctx.store)!;
  const { calls, done } = ctx.transport.broadcast(chat.id, envelopes);
  ctx.outbox.track(
    done.then((pushes) => ctx.meter.shardPushed(Math.max(0, ...pushes))).catch((err: unknown) => {
      // Online members notice the hole at the next update or reconnect and pull it.
      console.warn(JSON.stringify({ event: 'broadcast_failed', chat_id: chat.id, pts: envelopes.at(-1)?.pts, error: String(err) }));
    }),
  );
  return calls;
}

/** The room's work figures (./work-meter.ts), for the bench through the local-only dev route. */
export function workStats(ctx: RoomContext, reset: boolean) {
  // Like every verb: a chat that was never created answers as a missing one.
  if (!chatRow(ctx.store)) throw fail.notFound('Chat');
  return ctx.meter.read(reset === true);
}

/**
 * A change of a large chat that every member sees (its title, who manages
 * it, the pin): logged once for the people, and a `chat` copy for each bot,
 * whose mailbox gets no log entries (its dialog, which its updates are
 * translated with, would otherwise keep the old title).
 */
export function logChatChange(ctx: RoomContext, emit: Emit, row: ChatRow): void {
  const { store } = ctx;
  emit.log({ type: 'chat', chat: chatSnapshot(store, 0, row) });
  emit.event(
    botMemberRows(store).map((b) => b.user_id),
    (botId) => ({ update: { type: 'chat', chat: chatSnapshot(store, botId, row) } }),
  );
}

/** Pruned in steps of a hundredth of the retention, so the look-up is not paid on every append. */
function prune(ctx: RoomContext, before: number, pts: number): void {
  const step = CHAT_LOG_RETENTION / 100;
  if (Math.floor(before / step) === Math.floor(pts / step)) return;
  ctx.store.exec('DELETE FROM chat_log WHERE pts <= ?', pts - CHAT_LOG_RETENTION);
}

export type ChannelDifference = MethodResult<'getChannelDifference'>;

/**
 * What a member at `pts` missed, from the chat's log. A non-member (and a
 * chat that is not large) gets NOT_FOUND, like any chat one cannot see.
 */
export function getChannelDifference(ctx: RoomContext, userId: number, pts: number, limit = DIFFERENCE_PAGE_LIMIT): ChannelDifference {
  const { store } = ctx;
  const { chat } = requireMember(store, userId);
  if (!isLarge(chat.kind)) throw fail.notFound('Chat');
  if (!Number.isSafeInteger(pts) || pts < 0) throw fail.badRequest('pts must be a non-negative integer');
  const page = Math.max(1, Math.min(DIFFERENCE_PAGE_LIMIT, Math.floor(limit) || 1));
  if (pts > chat.pts) throw new EdgegramError(ErrorCode.PTS_INVALID, `pts ${pts} is ahead of the chat's ${chat.pts}`);
  if (pts === chat.pts) return { kind: 'empty', pts };
  const oldest = one<{ pts: number; pts_count: number }>(store, 'SELECT pts, pts_count FROM chat_log ORDER BY pts LIMIT 1');
  const oldestStart = oldest ? oldest.pts - oldest.pts_count : chat.pts;
  if (chat.pts - pts > CHAT_LOG_RETENTION || pts < oldestStart) return { kind: 'too_long', pts: chat.pts };
  const rows = store.exec<{ pts: number; pts_count: number; date: number; body: string; v: number }>(
    'SELECT pts, pts_count, date, body, v FROM chat_log WHERE pts > ? ORDER BY pts LIMIT ?',
    pts,
    page,
  );
  const updates: UpdateEnvelope[] = [];
  for (const r of rows) {
    const read = readStored(CHAT_LOG_BODY, r.body, r.v);
    if (!read.ok) {
      // As in the mailbox: reloading from the messages is right, skipping is not.
      logUnreadable(CHAT_LOG_BODY, read.reason, { chat_id: chat.id, pts: r.pts });
      return { kind: 'too_long', pts: chat.pts };
    }
    updates.push({ pts: r.pts, pts_count: r.pts_count, date: r.date, update: read.value });
  }
  const last = updates.at(-1)!;
  return { kind: 'difference', updates, pts: last.pts, more: last.pts < chat.pts };
}

/** A large chat's entry in a member's chat list, computed from the chat (its log is not in the mailbox). */
export type LargeDialog = {
  chat: Chat;
  top_message: Message | null;
  unread_count: number;
  read_inbox_max_id: number;
  last_activity: number;
};

/**
 * The member's dialog as the chat sees it now: the newest message they can
 * see, and the unread count from their read pointer. The mailbox asks for it
 * when a device of the member comes online, so dialogs of large chats are
 * right without a write per member per message.
 */
export function largeDialog(ctx: RoomContext, userId: number): LargeDialog {
  const { store } = ctx;
  const { chat, member } = requireMember(store, userId);
  if (!isLarge(chat.kind)) throw fail.notFound('Chat');
  const top = lastVisible(store, userId);
  return {
    chat: chatSnapshot(store, userId, chat),
    top_message: top ? toMessage(chat.id, top, userId) : null,
    unread_count: unreadCount(store, userId, member.read_inbox_max_id),
    read_inbox_max_id: member.read_inbox_max_id,
    last_activity: Math.max(top?.date ?? 0, member.joined_at),
  };
}

export const largeChatVerbs = { getChannelDifference, largeDialog, workStats };
