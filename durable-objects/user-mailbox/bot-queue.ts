import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import type { Chat } from '../../protocol/messages.js';
import type { Update } from '../../protocol/updates.js';
import { one, type SqlStore } from '../sql/store.js';
import { readStoredOr } from '../sql/stored-json.js';
import { logPts } from './mailbox.js';
import { ALLOWED_UPDATES, DIALOG_CHAT, LOG_BODY } from './stored.js';

/**
 * A bot's update queue IS its mailbox's update log: `update_id` is the
 * update's pts. This keeps the queue's own state beside the log: how far the
 * bot confirmed (getUpdates offset, webhook acks), which kinds it wants, and
 * its webhook with the delivery's retry state. Plain logic over the mailbox's
 * SqlStore; the UserMailbox DO adds waiting (long polls) and the webhook pump.
 */

export const BotUpdateKind = {
  /** A new message from someone else, or a service message (a join, a departure, a new title, a pin). */
  message: 'message',
  /** An edit of someone else's message. */
  edited_message: 'edited_message',
  /**
   * A post in a channel the bot administers (bots are in channels only as
   * admins), or a service message there (a new title, a pin).
   */
  channel_post: 'channel_post',
  /** An edit of someone else's post in a channel the bot administers. */
  edited_channel_post: 'edited_channel_post',
  /** A user pressed one of the bot's callback buttons. */
  callback_query: 'callback_query',
  /** The bot's own membership changed. */
  my_chat_member: 'my_chat_member',
  /**
   * Another member's membership changed; only when asked for in
   * allowed_updates, and (the ChatRoom sees to it) only in groups where the
   * bot is an admin, as in Telegram.
   */
  chat_member: 'chat_member',
  /**
   * A user changed their reactions; only when asked for, in private chats and
   * groups where the bot is an admin (the ChatRoom's choice), never for a
   * bot's reaction, as in Telegram.
   */
  message_reaction: 'message_reaction',
  /** Someone asked to join a chat where the bot is an admin that may invite users. */
  chat_join_request: 'chat_join_request',
} as const;
export type BotUpdateKind = (typeof BotUpdateKind)[keyof typeof BotUpdateKind];

/** Telegram's default: every kind except chat_member and message_reaction (and the kinds Edgegram lacks). */
export const DEFAULT_ALLOWED: readonly BotUpdateKind[] = [
  'message',
  'edited_message',
  'channel_post',
  'edited_channel_post',
  'callback_query',
  'my_chat_member',
  'chat_join_request',
];

export type QueuedUpdate = { update_id: number; kind: BotUpdateKind; date: number; update: Update };
/** Updates plus the chats they happen in (from the dialogs), for translation. */
export type BotBatch = { updates: QueuedUpdate[]; chats: Chat[] };

export type WebhookConfig = { url: string; secret: string | null; maxConnections: number };
export type WebhookInfo = {
  url: string;
  pending_update_count: number;
  max_connections?: number;
  allowed_updates?: string[];
  last_error_date?: number;
  last_error_message?: string;
};

type QueueRow = {
  confirmed_pts: number;
  allowed_updates: string | null;
  webhook_url: string | null;
  webhook_secret: string | null;
  max_connections: number;
  failures: number;
  next_attempt_at: number | null;
  last_error_date: number | null;
  last_error_message: string | null;
};

export const WEBHOOK_CONFLICT =
  "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first";
export const POLL_CONFLICT = 'Conflict: terminated by other getUpdates request; make sure that only one bot instance is running';

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;
/** How long a pressed button waits for answerCallbackQuery; later answers are refused, as Telegram does. */
export const CALLBACK_ANSWER_WINDOW_MS = 30_000;

/**
 * Whether the chat at `chatIdPath` of an update's body is a channel, from
 * the bot's dialog of it (a chat announces itself to a member before
 * anything else, and a chat's kind never changes: a migration makes a new
 * chat). One primary-key look-up, only for the rows that are messages.
 */
const inChannel = (chatIdPath: string) =>
  `(SELECT json_extract(d.chat, '$.kind') FROM dialogs d WHERE d.chat_id = json_extract(body, '${chatIdPath}')) = 'channel'`;

/**
 * The bot's own message: its sender, or for a channel post (which names no
 * sender) the idempotency key that only the author's copy carries.
 */
const OWN_MESSAGE = `(json_extract(body, '$.message.sender_id') = ?1
  OR (json_extract(body, '$.message.sender_id') IS NULL AND json_extract(body, '$.message.random_id') IS NOT NULL))`;

/**
 * The bot-relevant kind of each logged update, in SQL so that paging and
 * counting never parse what they skip: the bot's own messages are not
 * updates for it; a message in a channel is a `channel_post`; a membership
 * change is `my_chat_member` when it is the bot's.
 */
const KIND_SQL = `CASE json_extract(body, '$.type')
  WHEN 'new_message' THEN CASE WHEN ${OWN_MESSAGE} THEN NULL
    WHEN ${inChannel('$.message.chat_id')} THEN 'channel_post' ELSE 'message' END
  WHEN 'edit_message' THEN CASE WHEN ${OWN_MESSAGE} THEN NULL
    WHEN ${inChannel('$.message.chat_id')} THEN 'edited_channel_post' ELSE 'edited_message' END
  WHEN 'chat_member' THEN CASE WHEN json_extract(body, '$.member.user_id') = ?1 THEN 'my_chat_member' ELSE 'chat_member' END
  WHEN 'callback_query' THEN 'callback_query'
  WHEN 'chat_join_request' THEN CASE WHEN json_extract(body, '$.status') = 'pending' THEN 'chat_join_request' END
  WHEN 'message_reactions' THEN CASE WHEN json_extract(body, '$.user_id') = ?1 THEN NULL ELSE 'message_reaction' END
  WHEN 'service' THEN CASE WHEN json_extract(body, '$.actor_id') = ?1 THEN NULL
    WHEN ${inChannel('$.chat_id')} THEN 'channel_post' ELSE 'message' END
END`;

export class BotQueue {
  constructor(
    private readonly store: SqlStore,
    readonly botId: number,
  ) {}

  private row(): QueueRow {
    const found = one<QueueRow>(this.store, 'SELECT * FROM bot_queue WHERE id = 1');
    if (found) return found;
    this.store.exec('INSERT INTO bot_queue (id, bot_id) VALUES (1, ?)', this.botId);
    return one<QueueRow>(this.store, 'SELECT * FROM bot_queue WHERE id = 1')!;
  }

  private logPts(): number {
    return logPts(this.store);
  }

  allowed(): readonly BotUpdateKind[] {
    const raw = this.row().allowed_updates;
    if (!raw) return DEFAULT_ALLOWED;
    const names = readStoredOr(ALLOWED_UPDATES, raw, null, { bot_id: this.botId });
    // Unreadable: the default kinds, as if none were set (logged), rather than no updates at all.
    if (names === null) return DEFAULT_ALLOWED;
    return names.filter((k): k is BotUpdateKind => Object.hasOwn(BotUpdateKind, k));
  }

  /**
   * Stores allowed_updates as Telegram does: an empty list means the
   * default; unknown names are ignored.
   */
  setAllowed(list: readonly string[] | undefined): void {
    if (list === undefined) return;
    const known = list.filter((k): k is BotUpdateKind => Object.hasOwn(BotUpdateKind, k));
    this.row();
    this.store.exec('UPDATE bot_queue SET allowed_updates = ? WHERE id = 1', known.length > 0 ? JSON.stringify(known) : null);
  }

  /**
   * getUpdates' bookkeeping: refuses while a webhook is set, records
   * allowed_updates, confirms what `offset` confirms, and returns the page.
   */
  poll(options: { offset?: number; limit: number; allowed?: readonly string[] }): BotBatch {
    if (this.row().webhook_url !== null) throw new EdgegramError(ErrorCode.CONFLICT, WEBHOOK_CONFLICT);
    return this.store.transaction(() => {
      this.setAllowed(options.allowed);
      this.confirm(options.offset);
      return this.pending(options.limit);
    });
  }

  /**
   * An update is confirmed once getUpdates is called with an offset higher
   * than its update_id. A negative offset -n keeps only the last n updates.
   * Confirming never moves past the log's end (a bogus offset confirms all).
   */
  confirm(offset: number | undefined): void {
    if (offset === undefined || offset === 0) return;
    let upTo: number;
    if (offset > 0) {
      upTo = Math.min(offset - 1, this.logPts());
    } else {
      const nth = this.store.exec<{ pts: number }>(
        `SELECT pts FROM (SELECT pts, ${KIND_SQL} AS kind FROM updates WHERE pts > ?2)
         WHERE kind IN (SELECT value FROM json_each(?3)) ORDER BY pts DESC LIMIT 1 OFFSET ?4`,
        this.botId,
        this.row().confirmed_pts,
        JSON.stringify(this.allowed()),
        -offset - 1,
      )[0];
      if (!nth) return;
      upTo = nth.pts - 1;
    }
    this.store.exec('UPDATE bot_queue SET confirmed_pts = MAX(confirmed_pts, ?) WHERE id = 1', upTo);
  }

  /** Confirms everything logged so far (drop_pending_updates). */
  dropPending(): void {
    this.row();
    this.store.exec('UPDATE bot_queue SET confirmed_pts = MAX(confirmed_pts, ?) WHERE id = 1', this.logPts());
  }

  /** Unconfirmed updates of the allowed kinds, oldest first. */
  pending(limit: number): BotBatch {
    const rows = this.store.exec<{ pts: number; date: number; body: string; v: number; kind: BotUpdateKind }>(
      `SELECT pts, date, body, v, kind FROM (SELECT pts, date, body, v, ${KIND_SQL} AS kind FROM updates WHERE pts > ?2)
       WHERE kind IN (SELECT value FROM json_each(?3)) ORDER BY pts LIMIT ?4`,
      this.botId,
      this.row().confirmed_pts,
      JSON.stringify(this.allowed()),
      limit,
    );
    // An unreadable row is left out (logged, and kept in the log): a bot has
    // no "reload" to fall back on, and holding the queue on it would stop
    // every later update too.
    const updates = rows.flatMap((r) => {
      const update = readStoredOr(LOG_BODY, r.body, null, { bot_id: this.botId, pts: r.pts }, r.v);
      return update ? [{ update_id: r.pts, kind: r.kind, date: r.date, update }] : [];
    });
    return { updates, chats: this.chatsOf(updates) };
  }

  pendingCount(): number {
    const row = one<{ n: number }>(
      this.store,
      `SELECT COUNT(*) AS n FROM (SELECT ${KIND_SQL} AS kind FROM updates WHERE pts > ?2)
       WHERE kind IN (SELECT value FROM json_each(?3))`,
      this.botId,
      this.row().confirmed_pts,
      JSON.stringify(this.allowed()),
    );
    return row?.n ?? 0;
  }

  private chatsOf(updates: readonly QueuedUpdate[]): Chat[] {
    const ids = [...new Set(updates.map((q) => chatIdOf(q.update)))];
    if (ids.length === 0) return [];
    return this.store
      .exec<{ chat_id: number; chat: string }>(
        'SELECT chat_id, chat FROM dialogs WHERE chat_id IN (SELECT value FROM json_each(?))',
        JSON.stringify(ids),
      )
      .flatMap((r) => readStoredOr(DIALOG_CHAT, r.chat, [], { bot_id: this.botId, chat_id: r.chat_id }));
  }

  // ── webhook ──

  webhook(): WebhookConfig | null {
    const row = this.row();
    return row.webhook_url === null
      ? null
      : { url: row.webhook_url, secret: row.webhook_secret, maxConnections: row.max_connections };
  }

  setWebhook(config: WebhookConfig & { allowed?: readonly string[]; dropPending: boolean }): void {
    this.store.transaction(() => {
      this.row();
      this.store.exec(
        `UPDATE bot_queue SET webhook_url = ?, webhook_secret = ?, max_connections = ?, failures = 0,
           next_attempt_at = NULL, last_error_date = NULL, last_error_message = NULL WHERE id = 1`,
        config.url,
        config.secret,
        config.maxConnections,
      );
      this.setAllowed(config.allowed);
      if (config.dropPending) this.dropPending();
    });
  }

  deleteWebhook(dropPending: boolean): void {
    this.store.transaction(() => {
      this.row();
      this.store.exec(
        `UPDATE bot_queue SET webhook_url = NULL, webhook_secret = NULL, failures = 0, next_attempt_at = NULL,
           last_error_date = NULL, last_error_message = NULL WHERE id = 1`,
      );
      if (dropPending) this.dropPending();
    });
  }

  info(): WebhookInfo {
    const row = this.row();
    const info: WebhookInfo = { url: row.webhook_url ?? '', pending_update_count: this.pendingCount() };
    if (row.webhook_url !== null) info.max_connections = row.max_connections;
    if (row.allowed_updates !== null) info.allowed_updates = [...this.allowed()];
    if (row.last_error_date !== null) info.last_error_date = row.last_error_date;
    if (row.last_error_message !== null) info.last_error_message = row.last_error_message;
    return info;
  }

  /** When the next delivery attempt is due (null: no backoff in force). */
  nextAttemptAt(): number | null {
    return this.row().next_attempt_at;
  }

  /** The webhook took update `updateId`: confirm it, clear the backoff. */
  delivered(updateId: number): void {
    this.store.exec(
      'UPDATE bot_queue SET confirmed_pts = MAX(confirmed_pts, ?), failures = 0, next_attempt_at = NULL WHERE id = 1',
      updateId,
    );
  }

  /** A delivery failed: record it (getWebhookInfo shows it) and back off exponentially. Returns the next attempt's time. */
  failed(now: number, message: string): number {
    const failures = this.row().failures + 1;
    const at = now + Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** (failures - 1));
    this.store.exec(
      'UPDATE bot_queue SET failures = ?, next_attempt_at = ?, last_error_date = ?, last_error_message = ? WHERE id = 1',
      failures,
      at,
      Math.floor(now / 1000),
      message.slice(0, 256),
    );
    return at;
  }

  // ── callback queries ──

  recordCallbackQuery(id: string, userId: number, now: number): void {
    this.store.exec('DELETE FROM callback_queries WHERE created_at < ?', now - CALLBACK_ANSWER_WINDOW_MS);
    this.store.exec('INSERT INTO callback_queries (id, user_id, created_at) VALUES (?, ?, ?)', id, userId, now);
  }

  /** Marks the query answered; false if it is unknown, expired or already answered. */
  answerCallbackQuery(id: string, now: number): boolean {
    const row = one<{ created_at: number; answered: number }>(
      this.store,
      'SELECT created_at, answered FROM callback_queries WHERE id = ?',
      id,
    );
    if (!row || row.answered || now - row.created_at > CALLBACK_ANSWER_WINDOW_MS) return false;
    this.store.exec('UPDATE callback_queries SET answered = 1 WHERE id = ?', id);
    return true;
  }

  // ── server-side bots (BotFather): per-user conversation state ──

  conversation(userId: number): string | undefined {
    return one<{ state: string }>(this.store, 'SELECT state FROM bot_conversations WHERE user_id = ?', userId)?.state;
  }

  setConversation(userId: number, state: string | null): void {
    if (state === null) this.store.exec('DELETE FROM bot_conversations WHERE user_id = ?', userId);
    else {
      this.store.exec(
        'INSERT INTO bot_conversations (user_id, state) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET state = excluded.state',
        userId,
        state,
      );
    }
  }
}

/** The bot this mailbox belongs to, if it ever acted as one (read by the alarm, which has no caller). */
export function queuedBotId(store: SqlStore): number | undefined {
  return one<{ bot_id: number }>(store, 'SELECT bot_id FROM bot_queue WHERE id = 1')?.bot_id;
}

/** The chat an update happens in. */
export function chatIdOf(update: Update): number {
  switch (update.type) {
    case 'new_message':
    case 'edit_message':
      return update.message.chat_id;
    case 'chat':
      return update.chat.id;
    default:
      return update.chat_id;
  }
}
