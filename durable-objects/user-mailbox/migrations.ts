import { ALARM_JOBS_TABLE_SQL } from '../alarm-jobs.js';
import type { Migration } from '../sql/migrate.js';

/** Append-only: never edit a released entry, add a new one. */
export const mailboxMigrations: readonly Migration[] = [
  {
    name: 'update log, chat cursors, dialogs',
    sql: `
      CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER NOT NULL);
      CREATE TABLE updates (
        pts INTEGER PRIMARY KEY,
        pts_count INTEGER NOT NULL,
        date INTEGER NOT NULL,
        body TEXT NOT NULL
      );
      CREATE TABLE chat_cursors (chat_id INTEGER PRIMARY KEY, event_seq INTEGER NOT NULL);
      CREATE TABLE dialogs (
        chat_id INTEGER PRIMARY KEY,
        chat TEXT NOT NULL,
        top_message TEXT,
        unread_count INTEGER NOT NULL DEFAULT 0,
        read_inbox_max_id INTEGER NOT NULL DEFAULT 0,
        read_outbox_max_id INTEGER NOT NULL DEFAULT 0,
        last_activity INTEGER NOT NULL,
        is_member INTEGER NOT NULL DEFAULT 1
      );
      CREATE INDEX dialogs_by_activity ON dialogs (last_activity DESC, chat_id DESC);
    `,
  },
  {
    name: 'bot update queue, webhook, callback queries',
    sql: `
      -- Only bot accounts have a row: how far the bot confirmed its update log
      -- (getUpdates offset, webhook acks) and how updates reach it.
      CREATE TABLE bot_queue (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        bot_id INTEGER NOT NULL,
        confirmed_pts INTEGER NOT NULL DEFAULT 0,
        allowed_updates TEXT,
        webhook_url TEXT,
        webhook_secret TEXT,
        max_connections INTEGER NOT NULL DEFAULT 40,
        failures INTEGER NOT NULL DEFAULT 0,
        next_attempt_at INTEGER,
        last_error_date INTEGER,
        last_error_message TEXT
      );
      -- Presses of this bot's callback buttons, until answered or expired.
      CREATE TABLE callback_queries (
        id TEXT PRIMARY KEY,
        user_id INTEGER NOT NULL,
        created_at INTEGER NOT NULL,
        answered INTEGER NOT NULL DEFAULT 0
      );
      -- Conversation state of a server-side bot (BotFather), per user.
      CREATE TABLE bot_conversations (user_id INTEGER PRIMARY KEY, state TEXT NOT NULL);
    `,
  },
  {
    name: 'connect tickets spent, sessions ended',
    sql: `
      -- See ConnectGate: kept only as long as a connect ticket lives.
      CREATE TABLE spent_tickets (nonce TEXT PRIMARY KEY, expires_at INTEGER NOT NULL);
      CREATE TABLE ended_sessions (session_id TEXT PRIMARY KEY, ended_at INTEGER NOT NULL);
    `,
  },
  {
    name: 'update log: body versions',
    sql: `
      -- The version of the body's shape (see stored.ts); rows written before
      -- this column existed are version 1, which is what they are.
      ALTER TABLE updates ADD COLUMN v INTEGER NOT NULL DEFAULT 1;
    `,
  },
  {
    name: 'timed jobs on the one alarm',
    sql: `
      ${ALARM_JOBS_TABLE_SQL};
      -- A bot's mailbox from before had its alarm armed by the bot side
      -- alone: its jobs are due at once, and each finds out whether it has work.
      INSERT INTO alarm_jobs (job, due_at) SELECT 'webhook', 0 WHERE EXISTS (SELECT 1 FROM bot_queue);
      INSERT INTO alarm_jobs (job, due_at) SELECT 'botfather', 0 WHERE EXISTS (SELECT 1 FROM bot_queue);
    `,
  },
  {
    name: 'mentions in large chats',
    sql: `
      -- Unread messages of large chats that mention this account (mention
      -- updates), until read past; the dialog's count is their number.
      CREATE TABLE mentions (
        chat_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        PRIMARY KEY (chat_id, message_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'chat cursors on the dialogs',
    sql: `
      -- Each chat's delivery cursor moves onto its dialog row, which a
      -- delivery writes anyway: one row written per delivery instead of two.
      -- chat_cursors stays for chats without a dialog (none are expected:
      -- a chat announces itself first), read only when a dialog is missing.
      ALTER TABLE dialogs ADD COLUMN event_seq INTEGER NOT NULL DEFAULT 0;
      UPDATE dialogs SET event_seq = COALESCE((SELECT c.event_seq FROM chat_cursors c WHERE c.chat_id = dialogs.chat_id), 0);
      DELETE FROM chat_cursors WHERE chat_id IN (SELECT chat_id FROM dialogs);
    `,
  },
  {
    name: 'blocked users',
    sql: `
      -- Whom this account blocked (a copy of D1's blocks): left out of its presence notices.
      CREATE TABLE blocked (user_id INTEGER PRIMARY KEY);
    `,
  },
  {
    name: 'message requests',
    sql: `
      -- Private chats started by someone this account's "messages" rule left
      -- out: listed among its message requests until it accepts or replies.
      CREATE TABLE message_requests (chat_id INTEGER PRIMARY KEY, from_user_id INTEGER NOT NULL, created_at INTEGER NOT NULL);
    `,
  },
];
