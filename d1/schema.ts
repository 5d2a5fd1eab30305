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
    /** The bio (Telegram's "about"), up to 70 characters; null when empty. */
    about: text('about'),
    /** `scrypt$N$r$p$salt$hash`, base64; null for bots (they use tokens). */
    passwordHash: text('password_hash'),
    isBot: integer('is_bot', { mode: 'boolean' }).notNull().default(false),
    createdAt: integer('created_at').notNull(),
    /** Whether any device holds a socket now, and when that last changed. */
    online: integer('online', { mode: 'boolean' }).notNull().default(false),
    lastSeenAt: integer('last_seen_at'),
    /**
     * Set when the account's deletion job tombstoned it (services/account-lifecycle/):
     * its name is cleared, its username freed (username_key becomes `#deleted:<id>`,
     * which no valid name can be) and its password hash removed. Peers see "Deleted Account".
     */
    deletedAt: integer('deleted_at'),
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
    kind: text('kind', { enum: ['private', 'group', 'channel', 'supergroup'] }).notNull(),
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

/**
 * An upload in progress (or just finished). Its bytes go straight to the R2
 * object of the file it would create (`file_id`, `r2_key`); complete either
 * makes that the file or, when identical bytes are already stored, drops it.
 */
export const uploads = sqliteTable(
  'uploads',
  {
    id: text('id').primaryKey(),
    accountId: integer('account_id').notNull(),
    size: integer('size').notNull(),
    partSize: integer('part_size').notNull(),
    partCount: integer('part_count').notNull(),
    mode: text('mode', { enum: ['single', 'multipart'] }).notNull(),
    fileName: text('file_name'),
    /** What the client claimed; kept for diagnostics, never used to serve. */
    declaredMime: text('declared_mime'),
    /** The id the file gets if these bytes are new. */
    fileId: text('file_id').notNull(),
    r2Key: text('r2_key').notNull(),
    /** R2's multipart upload id; null for single uploads. */
    r2UploadId: text('r2_upload_id'),
    state: text('state', { enum: ['open', 'done', 'aborted'] }).notNull(),
    /** Once done: the file the bytes became (`file_id`, or an identical earlier file). */
    resultFileId: text('result_file_id'),
    createdAt: integer('created_at').notNull(),
    updatedAt: integer('updated_at').notNull(),
    /** An open upload untouched until then is abandoned: the scheduled handler aborts it. */
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('uploads_state_expiry').on(t.state, t.expiresAt), index('uploads_account').on(t.accountId)],
);

/** One stored part (a single upload's body is part 1), with the SHA-256 the server computed. */
export const uploadParts = sqliteTable(
  'upload_parts',
  {
    uploadId: text('upload_id').notNull(),
    partNumber: integer('part_number').notNull(),
    etag: text('etag').notNull(),
    size: integer('size').notNull(),
    /** Hex SHA-256 of the part's bytes, computed while streaming them to R2. */
    sha256: text('sha256').notNull(),
    uploadedAt: integer('uploaded_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.uploadId, t.partNumber] })],
);

/**
 * Stored files, one per distinct content. `content_key` is SHA-256 over the
 * per-part SHA-256 digests; it is never shown to clients and never accepted
 * from them. Invariant: while a row exists, its R2 object exists.
 */
export const files = sqliteTable(
  'files',
  {
    id: text('id').primaryKey(),
    contentKey: text('content_key').notNull(),
    r2Key: text('r2_key').notNull(),
    size: integer('size').notNull(),
    /** Sniffed from the bytes. */
    mime: text('mime').notNull(),
    createdAt: integer('created_at').notNull(),
    /**
     * Last upload, send (claim) or ref release. A send or a forward may still
     * be on its way to file_refs for a while after it (IN_FLIGHT_MS), so a
     * file with no refs is freed only that long after.
     */
    touchedAt: integer('touched_at').notNull(),
  },
  (t) => [uniqueIndex('files_content_key').on(t.contentKey), index('files_touched').on(t.touchedAt)],
);

/** Who uploaded a file's bytes: they may send it. */
export const fileOwners = sqliteTable(
  'file_owners',
  {
    fileId: text('file_id').notNull(),
    accountId: integer('account_id').notNull(),
    createdAt: integer('created_at').notNull(),
    /**
     * The uploader's hold: until then the file is kept even with no message
     * showing it, so they can still send what they uploaded. Set by each
     * upload of the bytes, ended by the uploader's own send (see
     * d1/queries/files.ts).
     */
    heldUntil: integer('held_until').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.accountId] })],
);

/** Which messages show a file, mirrored from each ChatRoom's outbox; the refcount is the row count. */
export const fileRefs = sqliteTable(
  'file_refs',
  {
    fileId: text('file_id').notNull(),
    chatId: integer('chat_id').notNull(),
    messageId: integer('message_id').notNull(),
  },
  (t) => [primaryKey({ columns: [t.fileId, t.chatId, t.messageId] }), index('file_refs_chat').on(t.chatId)],
);

/** R2 objects to delete: freed files and duplicate uploads. Emptied by whoever queued them, and by the scheduled handler as a backstop. */
export const fileTrash = sqliteTable('file_trash', {
  r2Key: text('r2_key').primaryKey(),
  queuedAt: integer('queued_at').notNull(),
});

/** Keys the server generates for itself on first use (no operator config), e.g. the file-link HMAC key. */
export const serverSecrets = sqliteTable(
  'server_secrets',
  {
    /** Short hex id, named in what the key signs so a rotated-out key still verifies until pruned. */
    id: text('id').primaryKey(),
    purpose: text('purpose').notNull(),
    /** Hex. */
    secret: text('secret').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('server_secrets_purpose').on(t.purpose, t.createdAt)],
);

/**
 * A bot: an account (`accounts.is_bot`) owned by a user. The token is
 * `<account_id>:<secret>`; only SHA-256 of the secret is kept. Webhook and
 * update-queue state live in the bot's mailbox (the one writer of its queue).
 */
export const bots = sqliteTable(
  'bots',
  {
    accountId: integer('account_id').primaryKey(),
    ownerId: integer('owner_id').notNull(),
    /** SHA-256 of the token's secret part, hex. */
    tokenHash: text('token_hash').notNull(),
    /** setMyCommands: `{ "<scope>|<language>": [{ command, description }] }`. */
    commands: text('commands').notNull().default('{}'),
    /** On: in groups only commands, mentions and replies reach the bot (applied when it joins a group). */
    privacyMode: integer('privacy_mode', { mode: 'boolean' }).notNull().default(true),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('bots_owner').on(t.ownerId)],
);

/**
 * Invite links: SHA-256 of a link's token → its group, so a token can be
 * looked up without knowing the chat. Mirrored from the ChatRoom (which owns
 * the link, its limits and its usage) through its outbox; a revoked link's
 * row is deleted. The token itself is never stored here.
 */
export const inviteLinks = sqliteTable(
  'invite_links',
  {
    /** SHA-256 of the token, hex. */
    tokenHash: text('token_hash').primaryKey(),
    chatId: integer('chat_id').notNull(),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('invite_links_chat').on(t.chatId)],
);

/**
 * Public chats' usernames (supergroups and channels). The name is claimed
 * here before its ChatRoom takes it, so this table decides who holds a name;
 * the room mirrors it for display. People's and chats' names share one
 * namespace: triggers (migration 0008) refuse a chat name an account holds
 * and an account name a chat holds, whichever path writes it.
 */
export const chatUsernames = sqliteTable('chat_usernames', {
  /** Lower-cased: uniqueness and look-up are case-insensitive. */
  usernameKey: text('username_key').primaryKey(),
  /** As the owner typed it. */
  username: text('username').notNull(),
  chatId: integer('chat_id').notNull().unique(),
  claimedAt: integer('claimed_at').notNull(),
});

/**
 * An account's contacts: people it added, under the name it gave them
 * (Telegram's contacts are names the owner chose). A contact is mutual when
 * the other account has this one too.
 */
export const contacts = sqliteTable(
  'contacts',
  {
    ownerId: integer('owner_id').notNull(),
    contactId: integer('contact_id').notNull(),
    /** The name the owner gave them; shown to the owner only. */
    firstName: text('first_name').notNull(),
    lastName: text('last_name'),
    addedAt: integer('added_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.contactId] }), index('contacts_by_contact').on(t.contactId)],
);

/**
 * Who blocked whom. The authority for every check that crosses accounts
 * (adds to groups, presence and profile reads); a private chat's ChatRoom and
 * the blocker's mailbox keep the copy they need on their own hot paths.
 */
export const blocks = sqliteTable(
  'blocks',
  {
    ownerId: integer('owner_id').notNull(),
    blockedId: integer('blocked_id').notNull(),
    blockedAt: integer('blocked_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.ownerId, t.blockedId] }), index('blocks_by_blocked').on(t.blockedId)],
);

/**
 * Privacy settings (protocol/privacy.ts): one row per account and key it
 * changed; a key without a row has Telegram's default. The exception lists
 * are JSON arrays of account ids.
 */
export const privacyRules = sqliteTable(
  'privacy_rules',
  {
    accountId: integer('account_id').notNull(),
    key: text('key').notNull(),
    value: text('value', { enum: ['everybody', 'contacts', 'nobody'] }).notNull(),
    allowUserIds: text('allow_user_ids').notNull().default('[]'),
    disallowUserIds: text('disallow_user_ids').notNull().default('[]'),
    updatedAt: integer('updated_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.key] })],
);

/**
 * Profile photos, each account's history: the newest row is the current
 * photo, so deleting it brings back the one before (Telegram's way). The
 * files are kept by a file_refs row under the account's negative id (see
 * profilePhotoRefChat in d1/queries/profile-photos.ts), like a chat's photo.
 */
export const profilePhotos = sqliteTable(
  'profile_photos',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    accountId: integer('account_id').notNull(),
    bigFileId: text('big_file_id').notNull(),
    bigSize: integer('big_size').notNull(),
    bigMime: text('big_mime').notNull(),
    smallFileId: text('small_file_id').notNull(),
    smallSize: integer('small_size').notNull(),
    smallMime: text('small_mime').notNull(),
    width: integer('width'),
    height: integer('height'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('profile_photos_account').on(t.accountId, t.id)],
);

/**
 * Outbox targets a ChatRoom parked: deliveries that failed too often in a
 * row and are now only probed every 15 minutes (chat-room/outbox.ts).
 * Written best-effort by the ChatRoom when it parks one and deleted when
 * it resumes: what an operator queries (README, "Parked deliveries"). The
 * ChatRoom's own storage is the truth; a row here may outlive a resume
 * whose delete failed (parked_at then tells its age).
 */
export const outboxParked = sqliteTable(
  'outbox_parked',
  {
    chatId: integer('chat_id').notNull(),
    /** The recipient's account id; 0 for the chat's D1 index writes. */
    userId: integer('user_id').notNull(),
    parkedAt: integer('parked_at').notNull(),
    /** Consecutive failed attempts when it was parked. */
    attempts: integer('attempts').notNull(),
    /** The oldest waiting event_seq (index_outbox seq for user 0); null if none was left. */
    oldestSeq: integer('oldest_seq'),
    /** Rows waiting when it was parked. */
    rowCount: integer('row_count').notNull(),
  },
  (t) => [primaryKey({ columns: [t.chatId, t.userId] })],
);

/**
 * An account's second factor (TOTP, RFC 6238: SHA-1, 6 digits, 30 s, what
 * authenticator apps expect). The secrets are stored as they are, base32:
 * the server must compute codes from them, so they cannot be hashed. That
 * makes a row as sensitive as a password hash: it is never returned after
 * setup (enableTwoFactor shows the pending secret once) and nothing else
 * reads it but services/account-api/second-factor checks.
 */
export const twoFactor = sqliteTable('two_factor', {
  accountId: integer('account_id')
    .primaryKey()
    .references(() => accounts.id, { onDelete: 'cascade' }),
  /** The confirmed secret: the account is protected only while this is set. */
  secret: text('secret'),
  /** A secret shown by enableTwoFactor, not yet confirmed with a code; it protects nothing. */
  pendingSecret: text('pending_secret'),
  /** The last 30 s step a code was accepted for: a code is never accepted twice (RFC 6238 §5.2). */
  lastUsedStep: integer('last_used_step'),
  enabledAt: integer('enabled_at'),
});

/**
 * One-time recovery codes of an account with a second factor, as SHA-256
 * hashes (services/auth/two-factor.ts says why a fast hash suffices). A used
 * code keeps its row with `used_at`, so it fails the second time.
 */
export const recoveryCodes = sqliteTable(
  'recovery_codes',
  {
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** SHA-256 of the normalized code, hex. */
    codeHash: text('code_hash').notNull(),
    usedAt: integer('used_at'),
  },
  (t) => [primaryKey({ columns: [t.accountId, t.codeHash] })],
);

/**
 * The password step of a login to an account with a second factor: a
 * single-use token (only its SHA-256 here) that the code step exchanges
 * for a session before `expires_at` (5 minutes).
 */
export const loginTokens = sqliteTable(
  'login_tokens',
  {
    /** SHA-256 of the token, hex. */
    tokenHash: text('token_hash').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('login_tokens_account').on(t.accountId)],
);

/**
 * An account's deletion (services/account-lifecycle/deletion.ts): scheduled
 * by deleteAccount for `due_at`, cancelled by a sign-in or
 * cancelAccountDeletion while still `scheduled`, then carried out by the
 * account's mailbox alarm. Once `running` it cannot be cancelled; `step` and
 * `cursor` are the job's recorded progress, so a crash resumes where it stopped.
 */
export const accountDeletions = sqliteTable('account_deletions', {
  accountId: integer('account_id').primaryKey(),
  state: text('state', { enum: ['scheduled', 'running', 'done', 'cancelled'] }).notNull(),
  requestedAt: integer('requested_at').notNull(),
  dueAt: integer('due_at').notNull(),
  /** The step the job is at (deletion.ts DELETION_STEPS) and how far it got inside it. */
  step: text('step'),
  cursor: text('cursor'),
  /** Why it was cancelled: `sign_in` (a password login during the grace period) or `request`. */
  cancelReason: text('cancel_reason', { enum: ['sign_in', 'request'] }),
  finishedAt: integer('finished_at'),
});

/**
 * Reports of messages, chats and people (services/account-api/reports.ts),
 * a queue an operator reads (`GET /operator/reports`). One row per reporter
 * and target: a repeated report of the same thing by the same reporter is
 * counted once (the unique index; ids that do not apply are 0).
 */
export const reports = sqliteTable(
  'reports',
  {
    id: integer('id').primaryKey({ autoIncrement: true }),
    reporterId: integer('reporter_id').notNull(),
    targetKind: text('target_kind', { enum: ['message', 'chat', 'user'] }).notNull(),
    chatId: integer('chat_id').notNull().default(0),
    messageId: integer('message_id').notNull().default(0),
    userId: integer('user_id').notNull().default(0),
    reason: text('reason').notNull(),
    comment: text('comment'),
    /** The reported message's text (or the chat's title, the person's name) when reported: it may be edited or deleted later. */
    snapshot: text('snapshot'),
    status: text('status', { enum: ['open', 'closed'] }).notNull().default('open'),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('reports_once').on(t.reporterId, t.targetKind, t.chatId, t.messageId, t.userId),
    index('reports_status').on(t.status, t.createdAt),
  ],
);

/**
 * An account's data export (services/account-lifecycle/export-job.ts): one
 * row per account, the latest. Built by the account's mailbox alarm in
 * steps (`step`, `cursor`: the recorded progress), staged under
 * `exports/<id>/stage/` in R2, then zipped to `exports/<id>/archive.zip`,
 * which the same alarm deletes once the link expired (`expires_at`).
 */
export const dataExports = sqliteTable('data_exports', {
  accountId: integer('account_id').primaryKey(),
  /** Random hex id: names the archive and its download link. */
  id: text('id').notNull().unique(),
  state: text('state', { enum: ['running', 'done', 'expired', 'failed'] }).notNull(),
  requestedAt: integer('requested_at').notNull(),
  step: text('step'),
  cursor: text('cursor'),
  chatsDone: integer('chats_done').notNull().default(0),
  chatsTotal: integer('chats_total').notNull().default(0),
  messages: integer('messages').notNull().default(0),
  size: integer('size'),
  finishedAt: integer('finished_at'),
  /** When the download link stops working and the archive is deleted. */
  expiresAt: integer('expires_at'),
});

/**
 * Passkeys (WebAuthn credentials) an account registered: each signs a
 * challenge with its private key, the server keeps only the public key.
 * `id` is the credential id (base64url) the authenticator answers with, so a
 * sign-in finds its account by it. `counter` is the authenticator's
 * signature counter (0 for most synced passkeys: then it is not checked).
 */
export const passkeys = sqliteTable(
  'passkeys',
  {
    id: text('id').primaryKey(),
    accountId: integer('account_id')
      .notNull()
      .references(() => accounts.id, { onDelete: 'cascade' }),
    /** The COSE public key, base64url. */
    publicKey: text('public_key').notNull(),
    counter: integer('counter').notNull(),
    /** JSON array of the authenticator's transports (usb, internal, hybrid…), as hints for later sign-ins. */
    transports: text('transports').notNull(),
    name: text('name').notNull(),
    createdAt: integer('created_at').notNull(),
    lastUsedAt: integer('last_used_at'),
  },
  (t) => [index('passkeys_account').on(t.accountId)],
);

/**
 * WebAuthn challenges handed out and not yet answered. Each is used once:
 * the answer deletes it in one conditional DELETE (right purpose, right
 * account, not expired), so two answers to one challenge cannot both pass.
 * The origin and RP ID it was issued for are the ones its answer must show.
 */
export const webauthnChallenges = sqliteTable(
  'webauthn_challenges',
  {
    /** The challenge itself, base64url (random, 32 bytes). */
    challenge: text('challenge').primaryKey(),
    /** `register` (signed in: adds a passkey to `account_id`) or `login` (signed out, no account). */
    purpose: text('purpose', { enum: ['register', 'login'] }).notNull(),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    origin: text('origin').notNull(),
    rpId: text('rp_id').notNull(),
    expiresAt: integer('expires_at').notNull(),
  },
  (t) => [index('webauthn_challenges_expiry').on(t.expiresAt)],
);

/**
 * QR login (Telegram's auth.exportLoginToken): a signed-out device's
 * token, only its SHA-256 here, with that device's description. A signed-in
 * device approves it (`account_id`, `approved_at`: one conditional UPDATE,
 * only while unapproved and unexpired); the waiting device then exchanges it
 * for a session with one conditional DELETE. Expired rows stay a while so
 * their answer can say "expired" rather than "unknown".
 */
export const qrLoginTokens = sqliteTable(
  'qr_login_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    deviceName: text('device_name').notNull(),
    platform: text('platform').notNull(),
    appVersion: text('app_version'),
    ip: text('ip'),
    country: text('country'),
    city: text('city'),
    createdAt: integer('created_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    accountId: integer('account_id').references(() => accounts.id, { onDelete: 'cascade' }),
    approvedAt: integer('approved_at'),
  },
  (t) => [index('qr_login_tokens_expiry').on(t.expiresAt)],
);
