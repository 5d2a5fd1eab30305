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
];
