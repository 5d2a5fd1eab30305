import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import type { Chat, Dialog, Message } from '../../protocol/messages.js';
import { DIFFERENCE_PAGE_LIMIT, type MethodResult } from '../../protocol/methods.js';
import { ptsCountOf, type SyncState, type Update, type UpdateEnvelope } from '../../protocol/updates.js';
import { migrate } from '../sql/migrate.js';
import { one, type SqlStore } from '../sql/store.js';
import { logUnreadable, readStored, readStoredOr } from '../sql/stored-json.js';
import type { ChatEvent } from './delivery.js';
import { DIALOG_CHAT, DIALOG_TOP_MESSAGE, LOG_BODY } from './stored.js';
import { MessageRequests } from './message-requests.js';
import { mailboxMigrations } from './migrations.js';

/** A large chat's dialog fields, as its ChatRoom computes them (chat-room/large.ts largeDialog). */
export type LargeDialogFields = {
  chat: Chat;
  top_message: Message | null;
  unread_count: number;
  read_inbox_max_id: number;
  last_activity: number;
};

/** A device further behind than this reloads its dialogs instead of replaying the log. */
export const TOO_LONG_THRESHOLD = 50_000;
/** The update log keeps this many entries; older ones are pruned. */
export const UPDATE_RETENTION = 100_000;

type DialogRow = {
  /** Computed by DIALOG_SELECT: the unread mentions of this chat. */
  mentions: number;
  /** Computed by DIALOG_SELECT: 1 while the chat is a message request (absent where not selected). */
  is_request?: number;
  chat_id: number;
  chat: string;
  top_message: string | null;
  unread_count: number;
  read_inbox_max_id: number;
  read_outbox_max_id: number;
  last_activity: number;
  is_member: number;
};

/**
 * One account's update stream and chat list. Every change the account must
 * see is appended here with a per-account `pts`; devices replay it with
 * getDifference. Plain logic over a SqlStore: the DO adapter owns sockets.
 */
export type MailboxLimits = { tooLongThreshold: number; retention: number };

export class Mailbox {
  private readonly limits: MailboxLimits;
  readonly requests: MessageRequests;
  /** Told when a chat stops being a message request because this account wrote in it (the DO tells its devices). */
  onRequestAnswered: ((chatId: number) => void) | undefined;

  constructor(
    private readonly store: SqlStore,
    readonly userId: number,
    limits: Partial<MailboxLimits> = {},
  ) {
    this.limits = { tooLongThreshold: TOO_LONG_THRESHOLD, retention: UPDATE_RETENTION, ...limits };
    migrate(store, mailboxMigrations);
    this.requests = new MessageRequests(store);
  }

  state(): SyncState {
    const newest = one<{ pts: number; date: number }>(this.store, 'SELECT pts, date FROM updates ORDER BY pts DESC LIMIT 1');
    return { pts: newest?.pts ?? 0, date: newest?.date ?? 0 };
  }

  /**
   * The account's pts is its newest update's: every pts advance appends an
   * update and pruning keeps the newest ones, so no separate counter is
   * written on each delivery. (The `meta` row older versions kept is unused.)
   */
  private pts(): number {
    this.knownPts ??= logPts(this.store);
    return this.knownPts;
  }

  /**
   * The log's newest pts, kept once read: this object is the log's only
   * writer (deliver and append below), so a delivery needs no look-up.
   * Forgotten when a write's transaction fails, since it may not have
   * committed.
   */
  private knownPts: number | undefined;

  /** Runs a log write; `pts` is what the log's newest pts is once it committed. */
  private appending<T>(fn: () => { result: T; pts: number }): T {
    try {
      const { result, pts } = this.store.transaction(fn);
      this.knownPts = pts;
      return result;
    } catch (err) {
      this.knownPts = undefined;
      throw err;
    }
  }

  /**
   * Applies chat events in order, dropping any (chat, event_seq) already seen.
   * Returns the envelopes appended, for pushing to connected devices after
   * the transaction has committed.
   */
  deliver(events: readonly ChatEvent[]): UpdateEnvelope[] {
    return this.appending(() => {
      const appended: UpdateEnvelope[] = [];
      const before = this.pts();
      let pts = before;
      for (const event of events) {
        // Checks and advances the chat's cursor (kept on its dialog row) as it
        // applies the event: false when this (chat, event_seq) was applied before.
        if (!this.applyToDialog(event)) continue;
        const ptsCount = ptsCountOf(event.update);
        pts += ptsCount;
        const envelope: UpdateEnvelope = { pts, pts_count: ptsCount, date: event.date, update: event.update };
        this.store.exec(
          'INSERT INTO updates (pts, pts_count, date, body, v) VALUES (?, ?, ?, ?, ?)',
          pts,
          ptsCount,
          event.date,
          JSON.stringify(event.update),
          LOG_BODY.current,
        );
        appended.push(envelope);
      }
      if (appended.length > 0) {
        this.prune(before, pts);
      }
      return { result: appended, pts };
    });
  }

  /**
   * Appends an update that comes from no chat's event log (a bot's
   * callback_query) with the next pts. Returns its envelope for pushing.
   */
  append(update: Update, date: number): UpdateEnvelope {
    return this.appending(() => {
      const ptsCount = ptsCountOf(update);
      const before = this.pts();
      const pts = before + ptsCount;
      this.store.exec(
        'INSERT INTO updates (pts, pts_count, date, body, v) VALUES (?, ?, ?, ?, ?)',
        pts,
        ptsCount,
        date,
        JSON.stringify(update),
        LOG_BODY.current,
      );
      this.prune(before, pts);
      return { result: { pts, pts_count: ptsCount, date, update }, pts };
    });
  }

  /** What a device at `pts` missed: a page of updates, nothing, or "too long". */
  getDifference(pts: number, limit = DIFFERENCE_PAGE_LIMIT): MethodResult<'getDifference'> {
    const state = this.state();
    if (pts > state.pts) {
      throw new EdgegramError(ErrorCode.PTS_INVALID, `pts ${pts} is ahead of the server's ${state.pts}`);
    }
    if (pts === state.pts) return { kind: 'empty', state };
    const oldest = one<{ pts: number; pts_count: number }>(
      this.store,
      'SELECT pts, pts_count FROM updates ORDER BY pts LIMIT 1',
    );
    const oldestStart = oldest ? oldest.pts - oldest.pts_count : state.pts;
    if (state.pts - pts > this.limits.tooLongThreshold || pts < oldestStart) return { kind: 'too_long', state };
    const rows = this.store.exec<{ pts: number; pts_count: number; date: number; body: string; v: number }>(
      'SELECT pts, pts_count, date, body, v FROM updates WHERE pts > ? ORDER BY pts LIMIT ?',
      pts,
      limit,
    );
    const updates: UpdateEnvelope[] = [];
    for (const r of rows) {
      const read = readStored(LOG_BODY, r.body, r.v);
      if (!read.ok) {
        // Skipping it would leave the device silently without that update;
        // "too long" makes it reload its dialogs and history from the chats
        // (the truth) and continue from the current pts, past the bad row.
        logUnreadable(LOG_BODY, read.reason, { user_id: this.userId, pts: r.pts });
        return { kind: 'too_long', state };
      }
      updates.push({ pts: r.pts, pts_count: r.pts_count, date: r.date, update: read.value });
    }
    const last = updates[updates.length - 1]!;
    const more = last.pts < state.pts;
    return { kind: 'difference', updates, more, state: more ? { pts: last.pts, date: last.date } : state };
  }

  /** The chat list, newest activity first, paged by (last_activity, chat_id). */
  getDialogs(options: { offsetDate?: number; offsetChatId?: number; limit?: number } = {}): Dialog[] {
    const limit = options.limit ?? 50;
    const rows =
      options.offsetDate === undefined
        ? this.store.exec<DialogRow>(`${DIALOG_SELECT} ORDER BY last_activity DESC, chat_id DESC LIMIT ?`, limit)
        : this.store.exec<DialogRow>(
            `${DIALOG_SELECT} WHERE last_activity < ?1 OR (last_activity = ?1 AND chat_id < ?2)
             ORDER BY last_activity DESC, chat_id DESC LIMIT ?3`,
            options.offsetDate,
            options.offsetChatId ?? Number.MAX_SAFE_INTEGER,
            limit,
          );
    return rows.flatMap((row) => this.toDialog(row) ?? []);
  }

  getDialog(chatId: number): Dialog | undefined {
    const row = one<DialogRow>(this.store, `${DIALOG_SELECT} WHERE chat_id = ?`, chatId);
    return row && this.toDialog(row);
  }

  /**
   * The private chat with `peerId` (the account itself: Saved Messages), from
   * the dialogs: a send addressed by user id then needs no D1 look-up, write
   * or chat init. A dialog exists once the chat announced itself to this
   * account, so the chat exists and the account is in it.
   */
  privateChatWith(peerId: number): number | undefined {
    const row = one<{ chat_id: number }>(
      this.store,
      `SELECT chat_id FROM dialogs WHERE is_member = 1 AND json_extract(chat, '$.kind') = 'private'
         AND EXISTS (SELECT 1 FROM json_each(json_extract(chat, '$.member_ids')) WHERE value = ?1)
         AND json_array_length(json_extract(chat, '$.member_ids')) = CASE WHEN ?1 = ?2 THEN 1 ELSE 2 END
       LIMIT 1`,
      peerId,
      this.userId,
    );
    return row?.chat_id;
  }

  /** Supergroups and channels this account is in, by its dialogs: the chats whose updates it is pushed while online. */
  largeChats(): number[] {
    return this.store
      .exec<{ chat_id: number }>(
        "SELECT chat_id FROM dialogs WHERE is_member = 1 AND json_extract(chat, '$.kind') IN ('supergroup', 'channel')",
      )
      .map((r) => r.chat_id);
  }

  isMemberOf(chatId: number): boolean {
    return one(this.store, 'SELECT 1 FROM dialogs WHERE chat_id = ? AND is_member = 1', chatId) !== undefined;
  }

  /**
   * A large chat's dialog as the chat computed it (its log is not in this
   * mailbox): taken when a device comes online, so offline time cost no
   * write per message.
   */
  refreshLargeDialog(d: LargeDialogFields): void {
    this.store.exec('DELETE FROM mentions WHERE chat_id = ? AND message_id <= ?', d.chat.id, d.read_inbox_max_id);
    this.store.exec(
      `UPDATE dialogs SET chat = ?, top_message = ?, unread_count = ?, read_inbox_max_id = MAX(read_inbox_max_id, ?),
         last_activity = MAX(last_activity, ?) WHERE chat_id = ?`,
      JSON.stringify(d.chat),
      d.top_message && JSON.stringify(d.top_message),
      d.unread_count,
      d.read_inbox_max_id,
      d.last_activity,
      d.chat.id,
    );
  }

  /** The account left a large chat (the chat no longer knows it): the dialog stays, read-only. */
  leftLargeChat(chatId: number): void {
    this.store.exec('UPDATE dialogs SET is_member = 0 WHERE chat_id = ?', chatId);
  }

  /** Keeps whom this account blocked: they are no peers for its presence (D1's blocks is the authority). */
  setBlocked(peerId: number, blocked: boolean): void {
    if (blocked) this.store.exec('INSERT OR IGNORE INTO blocked (user_id) VALUES (?)', peerId);
    else this.store.exec('DELETE FROM blocked WHERE user_id = ?', peerId);
  }

  /** Peers of private chats: who sees this account's online status (never those it blocked). */
  privatePeers(): number[] {
    const peers = new Set<number>();
    const blocked = new Set(this.store.exec<{ user_id: number }>('SELECT user_id FROM blocked').map((r) => r.user_id));
    for (const { chat_id, chat } of this.store.exec<{ chat_id: number; chat: string }>(
      'SELECT chat_id, chat FROM dialogs WHERE is_member = 1',
    )) {
      const parsed = this.dialogChat(chat_id, chat);
      if (parsed?.kind !== 'private') continue;
      for (const id of parsed.member_ids) if (id !== this.userId && !blocked.has(id)) peers.add(id);
    }
    return [...peers];
  }

  /**
   * Everyone who shares a chat with this account (private chats and groups
   * it is still in), from its most recently active chats, at most `limit`:
   * who hears of its profile changes live.
   */
  chatPeers(limit: number): number[] {
    const peers = new Set<number>();
    const rows = this.store.exec<{ chat_id: number; chat: string }>(
      'SELECT chat_id, chat FROM dialogs WHERE is_member = 1 ORDER BY last_activity DESC',
    );
    for (const { chat_id, chat } of rows) {
      for (const id of this.dialogChat(chat_id, chat)?.member_ids ?? []) {
        if (id === this.userId) continue;
        peers.add(id);
        if (peers.size >= limit) return [...peers];
      }
    }
    return [...peers];
  }

  /**
   * A dialog as stored; undefined (logged) when its chat cannot be read: one
   * bad row must not fail the whole list, and the next `chat` update from
   * the chat rewrites it. An unreadable top message shows as none.
   */
  private toDialog(row: DialogRow): Dialog | undefined {
    const chat = this.dialogChat(row.chat_id, row.chat);
    if (!chat) return undefined;
    return dialogOf(row, chat, row.top_message ? this.topMessage(row.chat_id, row.top_message) : null);
  }

  private dialogChat(chatId: number, json: string) {
    return readStoredOr(DIALOG_CHAT, json, undefined, { user_id: this.userId, chat_id: chatId });
  }

  private topMessage(chatId: number, json: string) {
    return readStoredOr(DIALOG_TOP_MESSAGE, json, null, { user_id: this.userId, chat_id: chatId });
  }

  /**
   * Applies one chat event to its dialog and advances the chat's cursor
   * there, in the same statement on the hot paths; false (nothing written)
   * when the event was applied before. The cursor lives on the dialog row
   * because a delivery writes that row anyway.
   */
  private applyToDialog(event: ChatEvent): boolean {
    const u = event.update;
    if (u.type === 'chat') {
      if (!this.dialogExists(event.chat_id) && event.event_seq <= this.cursorWithoutDialog(event.chat_id)) return false;
      const isMember = u.chat.member_ids.includes(this.userId) ? 1 : 0;
      const written = this.store.exec(
        `INSERT INTO dialogs (chat_id, chat, last_activity, is_member, event_seq) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (chat_id) DO UPDATE SET chat = excluded.chat, is_member = excluded.is_member, event_seq = excluded.event_seq
           WHERE excluded.event_seq > dialogs.event_seq
         RETURNING chat_id`,
        u.chat.id,
        JSON.stringify(u.chat),
        event.date,
        isMember,
        event.event_seq,
      );
      if (written.length === 0) return false;
      this.applyChatFields(event);
      return true;
    }
    if (u.type === 'new_message') {
      // The hot path, in one statement: the cursor advances and the dialog is
      // updated in SQL (the top message is replaced unless a newer one is there).
      const updated = this.store.exec(
        `UPDATE dialogs SET
           top_message = CASE WHEN top_message IS NULL OR json_extract(top_message, '$.id') <= ?2 THEN ?1 ELSE top_message END,
           last_activity = MAX(last_activity, ?3),
           unread_count = unread_count + (CASE WHEN ?4 = 1 AND ?2 > read_inbox_max_id THEN 1 ELSE 0 END),
           event_seq = ?6
         WHERE chat_id = ?5 AND event_seq < ?6 RETURNING chat_id`,
        JSON.stringify(u.message),
        u.message.id,
        u.message.date,
        u.message.sender_id !== this.userId ? 1 : 0,
        event.chat_id,
        event.event_seq,
      );
      if (updated.length === 0) return this.withoutDialog(event);
      this.applyChatFields(event);
      // Writing in a chat answers its request, as accepting it does.
      if (u.message.sender_id === this.userId && this.requests.accept(event.chat_id)) this.onRequestAnswered?.(event.chat_id);
      return true;
    }
    const advanced = this.store.exec<DialogRow>(
      `UPDATE dialogs SET event_seq = ?2 WHERE chat_id = ?1 AND event_seq < ?2 RETURNING *, 0 AS mentions`,
      event.chat_id,
      event.event_seq,
    );
    const dialog = advanced[0];
    if (!dialog) return this.withoutDialog(event);
    switch (u.type) {
      case 'edit_message': {
        const top = dialog.top_message ? this.topMessage(dialog.chat_id, dialog.top_message) : null;
        if (top?.id === u.message.id) {
          this.store.exec('UPDATE dialogs SET top_message = ? WHERE chat_id = ?', JSON.stringify(u.message), event.chat_id);
        }
        break;
      }
      case 'delete_messages':
        break; // the chat sends the recomputed top message and unread count in event.dialog
      case 'read_history_inbox':
        this.store.exec(
          'UPDATE dialogs SET read_inbox_max_id = MAX(read_inbox_max_id, ?), unread_count = ? WHERE chat_id = ?',
          u.max_id,
          u.still_unread_count,
          event.chat_id,
        );
        this.store.exec('DELETE FROM mentions WHERE chat_id = ? AND message_id <= ?', event.chat_id, u.max_id);
        break;
      case 'read_history_outbox':
        this.store.exec(
          'UPDATE dialogs SET read_outbox_max_id = MAX(read_outbox_max_id, ?) WHERE chat_id = ?',
          u.max_id,
          event.chat_id,
        );
        break;
      case 'chat_member':
        if (u.member.user_id === this.userId && u.left) {
          this.store.exec('UPDATE dialogs SET is_member = 0 WHERE chat_id = ?', event.chat_id);
        }
        break;
      case 'callback_query':
        break; // appended by `append`, never part of a chat's event log
      case 'message_reactions':
        break; // reactions live with the messages in the chat; dialogs do not show them
      case 'service':
        break; // bots' service messages: the chat and chat_member updates already changed the dialog
      case 'chat_join_request':
        break; // for the approvers' clients; the dialog does not show it
      case 'forum_topic':
        break; // topics are read from the chat (getForumTopics); the dialog shows the chat as a whole
      case 'mention':
        this.store.exec(
          `INSERT OR IGNORE INTO mentions (chat_id, message_id)
           SELECT ?1, ?2 WHERE ?2 > (SELECT read_inbox_max_id FROM dialogs WHERE chat_id = ?1)`,
          event.chat_id,
          u.message_id,
        );
        break;
      default: {
        const exhaustive: never = u;
        throw new Error(`unhandled update ${(exhaustive as Update).type}`);
      }
    }
    this.applyChatFields(event);
    return true;
  }

  private dialogExists(chatId: number): boolean {
    return one(this.store, 'SELECT 1 FROM dialogs WHERE chat_id = ?', chatId) !== undefined;
  }

  /** The cursor of a chat that has no dialog (chat_cursors; see the 'chat cursors on the dialogs' migration). */
  private cursorWithoutDialog(chatId: number): number {
    return one<{ event_seq: number }>(this.store, 'SELECT event_seq FROM chat_cursors WHERE chat_id = ?', chatId)?.event_seq ?? 0;
  }

  /**
   * An event the dialog's cursor did not take: a repeat, or (a bug
   * upstream, not a race: a chat always announces itself with a `chat`
   * update before anything else it sends a member) a chat with no dialog,
   * whose update is still logged once, by chat_cursors.
   */
  private withoutDialog(event: ChatEvent): boolean {
    if (this.dialogExists(event.chat_id)) return false;
    console.warn(`mailbox ${this.userId}: ${event.update.type} for unknown dialog ${event.chat_id}`);
    const advanced = this.store.exec(
      `INSERT INTO chat_cursors (chat_id, event_seq) VALUES (?1, ?2)
       ON CONFLICT (chat_id) DO UPDATE SET event_seq = excluded.event_seq WHERE excluded.event_seq > chat_cursors.event_seq
       RETURNING event_seq`,
      event.chat_id,
      event.event_seq,
    );
    return advanced.length > 0;
  }

  /** Dialog fields only the chat can compute (after a deletion: the new top message and unread count). */
  private applyChatFields(event: ChatEvent): void {
    if (event.dialog?.top_message !== undefined) {
      this.store.exec(
        'UPDATE dialogs SET top_message = ? WHERE chat_id = ?',
        event.dialog.top_message && JSON.stringify(event.dialog.top_message),
        event.chat_id,
      );
    }
    if (event.dialog?.unread_count !== undefined) {
      this.store.exec('UPDATE dialogs SET unread_count = ? WHERE chat_id = ?', event.dialog.unread_count, event.chat_id);
    }
  }

  /**
   * Keeps the log bounded; pruning only once 10% over keeps the cost
   * amortized. The look-up itself runs only when pts crosses a multiple of
   * a hundredth of the retention, not on every delivery.
   */
  private prune(before: number, pts: number): void {
    const step = Math.max(1, Math.floor(this.limits.retention / 100));
    if (Math.floor(before / step) === Math.floor(pts / step)) return;
    const oldest = one<{ pts: number }>(this.store, 'SELECT pts FROM updates ORDER BY pts LIMIT 1');
    if (!oldest || pts - oldest.pts < this.limits.retention * 1.1) return;
    this.store.exec('DELETE FROM updates WHERE pts <= ?', pts - this.limits.retention);
  }
}

/** The newest pts of a mailbox's update log (0 before the first update). */
export function logPts(store: SqlStore): number {
  return one<{ pts: number }>(store, 'SELECT pts FROM updates ORDER BY pts DESC LIMIT 1')?.pts ?? 0;
}

export { ptsCountOf };

function dialogOf(row: DialogRow, chat: Dialog['chat'], topMessage: Dialog['top_message']): Dialog {
  return {
    chat,
    top_message: topMessage,
    unread_count: row.unread_count,
    read_inbox_max_id: row.read_inbox_max_id,
    read_outbox_max_id: row.read_outbox_max_id,
    last_activity: row.last_activity,
    is_member: row.is_member === 1,
    unread_mentions_count: row.mentions ?? 0,
    is_request: row.is_request === 1,
  };
}

/** Dialog rows with their unread mentions counted (an index range per chat, few rows). */
const DIALOG_SELECT = `SELECT dialogs.*, (SELECT COUNT(*) FROM mentions m WHERE m.chat_id = dialogs.chat_id) AS mentions,
  EXISTS (SELECT 1 FROM message_requests r WHERE r.chat_id = dialogs.chat_id) AS is_request FROM dialogs`;
