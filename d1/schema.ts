import { sql } from 'drizzle-orm';
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from 'drizzle-orm/sqlite-core';

/**
 * D1 is the global index: look-ups that cross Durable Objects. Rows that
 * mirror DO state (chats, memberships) are written after the DO commits and
 * can be rebuilt from the DOs. Times are milliseconds since the epoch.
 */

export const accounts = sqliteTable(
  'accounts',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    /** As the user typed it; shown to others. */
    username: text('username').notNull(),
    /** Lower-cased username: uniqueness and look-up are case-insensitive. */
    usernameKey: text('username_key').notNull(),
    displayName: text('display_name').notNull(),
    /** `scrypt$N$r$p$salt$hash`, base64; null for bots (they use tokens). */
    passwordHash: text('password_hash'),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    /** Whether any device holds a socket now, and when that last changed. */
    online: integer('online', { mode: 'boolean' }).notNull().default(false),
    lastSeenAt: integer('last_seen_at'),
  },
  (t) => [uniqueIndex('accounts_username_key').on(t.usernameKey)],
);

/** A signed-in device. One session per device; the device row keeps what "Active sessions" shows. */
export const devices = sqliteTable(
  'devices',
  {
    id: text('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    platform: text('platform').notNull(),
    appVersion: text('app_version'),
    ip: text('ip'),
    country: text('country'),
    city: text('city'),
    createdAt: integer('created_at').notNull(),
    lastActiveAt: integer('last_active_at').notNull(),
  },
  (t) => [index('devices_account').on(t.accountId)],
);

export const sessions = sqliteTable(
  'sessions',
  {
    /** Public id (hex), used to list and terminate; never the credential. */
    id: text('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    deviceId: text('device_id')
      .notNull()
      .references(() => devices.id, { onDelete: 'cascade' }),
    /** SHA-256 of the bearer token, hex. The token itself is never stored. */
    tokenHash: text('token_hash').notNull(),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [uniqueIndex('sessions_token_hash').on(t.tokenHash), index('sessions_account').on(t.accountId)],
);

/** Single-use WebSocket tickets, stored hashed, valid for seconds. */
export const connectTickets = sqliteTable('connect_tickets', {
  ticketHash: text('ticket_hash').primaryKey(),
  sessionId: text('session_id')
    .notNull()
    .references(() => sessions.id, { onDelete: 'cascade' }),
  expiresAt: integer('expires_at').notNull(),
});

/** Fixed-window counters for rate limits and login lockout. */
export const rateLimits = sqliteTable('rate_limits', {
  key: text('key').primaryKey(),
  windowStart: integer('window_start').notNull(),
  count: integer('count').notNull(),
});

/** The chat directory: every chat's id and kind. Private chats are unique per pair of users. */
export const chats = sqliteTable(
  'chats',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    kind: text('kind', { enum: ['private', 'group'] }).notNull(),
    title: text('title'),
    creatorId: integer('creator_id'),
    /** `<low user id>:<high user id>` for private chats; null otherwise. */
    privatePair: text('private_pair'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [uniqueIndex('chats_private_pair').on(t.privatePair).where(sql`private_pair IS NOT NULL`)],
);

/** User-to-chat index, mirrored from each ChatRoom after it commits a membership change. */
export const chatMembers = sqliteTable(
  'chat_members',
  {
    accountId: integer('account_id').notNull(),
    chatId: integer('chat_id').notNull(),
    role: text('role', { enum: ['creator', 'admin', 'member'] }).notNull(),
    joinedAt: integer('joined_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.chatId] }), index('chat_members_chat').on(t.chatId)],
);
