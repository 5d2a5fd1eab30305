import { ALARM_JOBS_TABLE_SQL } from '../alarm-jobs.js';
import type { Migration } from '../sql/migrate.js';

/** Append-only: never edit a released entry, add a new one. */
export const chatRoomMigrations: readonly Migration[] = [
  {
    name: 'chat, members, messages, hidden, outboxes',
    sql: `
      -- One row (id = the chat id) once init ran; no row means "no such chat".
      CREATE TABLE chat (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL,
        title TEXT,
        creator_id INTEGER,
        created_at INTEGER NOT NULL,
        next_message_id INTEGER NOT NULL,
        next_event_seq INTEGER NOT NULL
      );
      CREATE TABLE members (
        user_id INTEGER PRIMARY KEY,
        role TEXT NOT NULL,
        joined_at INTEGER NOT NULL,
        read_inbox_max_id INTEGER NOT NULL DEFAULT 0
      );
      -- id is the per-chat sequence. Deleted-for-everyone rows stay (content
      -- wiped) so ids stay gapless and a retried send still finds its random_id.
      CREATE TABLE messages (
        id INTEGER PRIMARY KEY,
        sender_id INTEGER NOT NULL,
        date INTEGER NOT NULL,
        text TEXT NOT NULL,
        entities TEXT NOT NULL,
        reply_to_message_id INTEGER,
        fwd_from TEXT,
        edit_date INTEGER,
        random_id TEXT NOT NULL,
        deleted INTEGER NOT NULL DEFAULT 0,
        UNIQUE (sender_id, random_id)
      );
      -- "Delete for me": hidden for one member only.
      CREATE TABLE hidden_messages (
        user_id INTEGER NOT NULL,
        message_id INTEGER NOT NULL,
        PRIMARY KEY (user_id, message_id)
      ) WITHOUT ROWID;
      -- One row per (recipient, event): that recipient's ChatEvent as JSON,
      -- deleted only after the recipient's mailbox acknowledged it.
      CREATE TABLE outbox (
        user_id INTEGER NOT NULL,
        event_seq INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (user_id, event_seq)
      ) WITHOUT ROWID;
      -- MembershipChange rows for the D1 user-to-chat index, in commit order.
      CREATE TABLE index_outbox (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        body TEXT NOT NULL
      );
    `,
  },
  {
    name: 'message media',
    sql: `
      -- The message's MessageMedia as JSON (file ids, sniffed types, caption is
      -- the text); NULL for text messages and after a delete for everyone.
      ALTER TABLE messages ADD COLUMN media TEXT;
    `,
  },
  {
    name: 'bots: reply markup, bot members',
    sql: `
      -- A bot's keyboard (ReplyMarkup JSON); NULL for most messages.
      ALTER TABLE messages ADD COLUMN reply_markup TEXT;
      -- Which members are bots, with the privacy mode they joined with.
      CREATE TABLE bot_members (
        user_id INTEGER PRIMARY KEY,
        username TEXT NOT NULL,
        privacy INTEGER NOT NULL
      );
    `,
  },
  {
    name: 'moderation: bans, pinned message',
    sql: `
      -- The most recently pinned message (Telegram shows one at the top).
      ALTER TABLE chat ADD COLUMN pinned_message_id INTEGER;
      -- Users who may not be added back; until_ms NULL means for good.
      CREATE TABLE bans (user_id INTEGER PRIMARY KEY, until_ms INTEGER);
    `,
  },
  {
    name: 'reactions, restricted members',
    sql: `
      -- One row per (message, member, emoji); position keeps the member's order.
      CREATE TABLE reactions (
        message_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        emoji TEXT NOT NULL,
        position INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (message_id, user_id, emoji)
      ) WITHOUT ROWID;
      -- What a restricted member may still send; until_ms NULL: until lifted.
      CREATE TABLE restrictions (
        user_id INTEGER PRIMARY KEY,
        can_send_messages INTEGER NOT NULL,
        can_send_media INTEGER NOT NULL,
        until_ms INTEGER
      );
    `,
  },
  {
    name: 'invite links',
    sql: `
      -- The group's invite links. The token is kept so the creator and admins
      -- can copy a link again (as in Telegram); D1 holds only its hash.
      -- Usage is counted here, inside the one writer, so a limit is exact.
      CREATE TABLE invite_links (
        id INTEGER PRIMARY KEY,
        token TEXT NOT NULL,
        token_hash TEXT NOT NULL UNIQUE,
        creator_id INTEGER NOT NULL,
        name TEXT,
        created_at INTEGER NOT NULL,
        expire_date INTEGER,
        member_limit INTEGER,
        usage INTEGER NOT NULL DEFAULT 0,
        revoked INTEGER NOT NULL DEFAULT 0
      );
    `,
  },
  {
    name: 'channels: post views',
    sql: `
      -- A channel post's distinct viewers (the row count of message_views,
      -- kept here so history reads need no count); NULL outside channels.
      ALTER TABLE messages ADD COLUMN views INTEGER;
      -- Who has seen which post: a reader counts once per post.
      CREATE TABLE message_views (
        message_id INTEGER NOT NULL,
        user_id INTEGER NOT NULL,
        PRIMARY KEY (message_id, user_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'message search',
    sql: `
      -- Full-text index of message texts and captions, over messages itself
      -- (external content: no second copy of the text). Diacritics fold, so
      -- "cafe" finds "café". Kept by triggers, so every way a message is
      -- written (send, album, edit, delete for everyone: text wiped) keeps it.
      CREATE VIRTUAL TABLE message_search USING fts5(text, content='messages', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
      CREATE TRIGGER message_search_insert AFTER INSERT ON messages BEGIN INSERT INTO message_search (rowid, text) VALUES (new.id, new.text); END;
      CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages BEGIN INSERT INTO message_search (message_search, rowid, text) VALUES ('delete', old.id, old.text); INSERT INTO message_search (rowid, text) VALUES (new.id, new.text); END;
      INSERT INTO message_search (message_search) VALUES ('rebuild');
    `,
  },
  {
    name: 'threads',
    sql: `
      -- The root of the reply chain a message belongs to (see threads.ts); NULL
      -- on messages that reply to nothing. Existing replies are filed by
      -- walking each chain up from its root.
      ALTER TABLE messages ADD COLUMN thread_id INTEGER;
      WITH RECURSIVE chain(id, root) AS (SELECT id, id FROM messages WHERE reply_to_message_id IS NULL UNION ALL SELECT m.id, chain.root FROM messages m JOIN chain ON m.reply_to_message_id = chain.id) UPDATE messages SET thread_id = (SELECT root FROM chain WHERE chain.id = messages.id) WHERE reply_to_message_id IS NOT NULL;
      CREATE INDEX messages_thread ON messages (thread_id, id) WHERE thread_id IS NOT NULL;
    `,
  },
  {
    name: 'outbox: delivery health, parked targets',
    sql: `
      -- A target whose last delivery failed (a recipient's user id, or 0: the
      -- D1 index): its run of consecutive failures, and once that run was too
      -- long, when it was parked and when the alarm probes it next. No row:
      -- healthy. See outbox-health.ts.
      CREATE TABLE outbox_targets (
        target INTEGER PRIMARY KEY,
        failures INTEGER NOT NULL,
        parked_at INTEGER,
        next_probe_at INTEGER
      );
    `,
  },
  {
    name: 'outbox: body versions',
    sql: `
      -- The version of the body's shape (see stored.ts); rows written before
      -- this column existed are version 1, which is what they are.
      ALTER TABLE outbox ADD COLUMN v INTEGER NOT NULL DEFAULT 1;
      ALTER TABLE index_outbox ADD COLUMN v INTEGER NOT NULL DEFAULT 1;
    `,
  },
  {
    name: 'timed jobs on the one alarm',
    sql: `
      ${ALARM_JOBS_TABLE_SQL};
      -- Rows waiting from before had the alarm armed directly: the outbox's
      -- job is due at once (it re-sends only what is unacknowledged).
      INSERT INTO alarm_jobs (job, due_at) SELECT 'outbox', 0
        WHERE EXISTS (SELECT 1 FROM outbox) OR EXISTS (SELECT 1 FROM index_outbox);
    `,
  },
  {
    name: 'durable rate limits per member and action',
    sql: `
      -- Token buckets of writes that reach every member (see rate-limit.ts):
      -- kept here so that an eviction never refills them.
      CREATE TABLE rate_buckets (
        user_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        tokens REAL NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (user_id, action)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'large chats: kept member count, the chat log, conversions',
    sql: `
      -- Counted by triggers so that no verb (the cap check, snapshots)
      -- counts 200,000 rows.
      ALTER TABLE chat ADD COLUMN member_count INTEGER NOT NULL DEFAULT 0;
      UPDATE chat SET member_count = (SELECT COUNT(*) FROM members);
      CREATE TRIGGER members_counted AFTER INSERT ON members BEGIN UPDATE chat SET member_count = member_count + 1; END;
      CREATE TRIGGER members_uncounted AFTER DELETE ON members BEGIN UPDATE chat SET member_count = member_count - 1; END;
      -- Creator and admins without a scan: snapshots list them.
      CREATE INDEX members_managers ON members (role, joined_at) WHERE role <> 'member';
      -- Supergroups log each update once, here, numbered by the chat's pts
      -- (the members' sync cursor for the chat); see large.ts.
      ALTER TABLE chat ADD COLUMN pts INTEGER NOT NULL DEFAULT 0;
      CREATE TABLE chat_log (
        pts INTEGER PRIMARY KEY,
        pts_count INTEGER NOT NULL,
        date INTEGER NOT NULL,
        body TEXT NOT NULL,
        v INTEGER NOT NULL DEFAULT 1
      );
      ALTER TABLE chat ADD COLUMN migrated_to INTEGER;
      ALTER TABLE chat ADD COLUMN migrated_from INTEGER;
    `,
  },
  {
    name: 'channels: signatures, anonymous posts',
    sql: `
      -- Channels: whether posts carry their author's name (toggleSignatures).
      ALTER TABLE chat ADD COLUMN signatures INTEGER NOT NULL DEFAULT 0;
      -- A signed post's author name when posted (Message.post_author); the
      -- author's id stays in sender_id for the room's own rules only.
      ALTER TABLE messages ADD COLUMN post_author TEXT;
    `,
  },
  {
    name: 'outbox: one row per event',
    sql: `
      -- One row per event instead of one per recipient (outbox.ts): who it
      -- is for, the copy most of them get, and the copies that differ, by
      -- recipient. Rows waiting from before move over, each recipient's
      -- copy kept as it was (a JSON string under its id).
      CREATE TABLE outbox_events (
        event_seq INTEGER PRIMARY KEY,
        recipients TEXT NOT NULL,
        body TEXT NOT NULL,
        copies TEXT,
        v INTEGER NOT NULL DEFAULT 1
      );
      -- A recipient's newest acknowledged event, written only while another
      -- recipient of the same events is behind.
      CREATE TABLE outbox_progress (user_id INTEGER PRIMARY KEY, event_seq INTEGER NOT NULL);
      INSERT INTO outbox_events (event_seq, recipients, body, copies, v)
        SELECT event_seq, json_group_array(user_id), MIN(body), json_group_object(CAST(user_id AS TEXT), body), MAX(v) FROM outbox GROUP BY event_seq;
      DROP TABLE outbox;
    `,
  },
  {
    name: 'search: indexed after the send',
    sql: `
      -- Messages are indexed in batches after their send (search-index.ts),
      -- not by a trigger inside it; the chat says how far the index goes.
      DROP TRIGGER message_search_insert;
      ALTER TABLE chat ADD COLUMN search_indexed_to INTEGER NOT NULL DEFAULT 0;
      UPDATE chat SET search_indexed_to = next_message_id - 1;
      -- Edits and deletions reach the index only for messages it holds.
      DROP TRIGGER message_search_update;
      CREATE TRIGGER message_search_update AFTER UPDATE OF text ON messages WHEN old.id <= (SELECT search_indexed_to FROM chat) BEGIN INSERT INTO message_search (message_search, rowid, text) VALUES ('delete', old.id, old.text); INSERT INTO message_search (rowid, text) VALUES (new.id, new.text); END;
    `,
  },
  {
    name: 'admin rights, member permissions, slow mode',
    sql: `
      -- An admin's rights as bits in ADMIN_RIGHTS order (rights.ts); admins
      -- appointed before keep what admins could do then: everything but
      -- appointing admins (and no anonymity).
      ALTER TABLE members ADD COLUMN rights INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE members ADD COLUMN title TEXT;
      ALTER TABLE members ADD COLUMN promoted_by INTEGER;
      UPDATE members SET rights = 511 WHERE role = 'admin';
      -- The chat's default member permissions as bits in CHAT_PERMISSIONS
      -- order, 1 = allowed: sending everything (15), as groups had it.
      ALTER TABLE chat ADD COLUMN permissions INTEGER NOT NULL DEFAULT 15;
      ALTER TABLE chat ADD COLUMN slow_mode_seconds INTEGER NOT NULL DEFAULT 0;
      -- A restriction's full set of permissions (same bits); null on rows
      -- from before, which read their two columns and allow the rest.
      ALTER TABLE restrictions ADD COLUMN permissions INTEGER;
      -- Slow mode: each member's last message, durable so an eviction does not reset the wait.
      CREATE TABLE slow_mode_sends (user_id INTEGER PRIMARY KEY, sent_at INTEGER NOT NULL);
    `,
  },
  {
    name: 'several pinned messages',
    sql: `
      -- Every pinned message (chat.pinned_message_id stays the newest, as before).
      CREATE TABLE pinned_messages (message_id INTEGER PRIMARY KEY, pinned_at INTEGER NOT NULL);
      INSERT INTO pinned_messages (message_id, pinned_at) SELECT pinned_message_id, created_at FROM chat WHERE pinned_message_id IS NOT NULL;
      CREATE INDEX pinned_messages_newest ON pinned_messages (pinned_at DESC, message_id DESC);
    `,
  },
  {
    name: 'chat description',
    sql: `
      ALTER TABLE chat ADD COLUMN description TEXT;
    `,
  },
  {
    name: 'primary invite links',
    sql: `
      -- Telegram's primary link: one per admin, replaced (the old one revoked) by exportChatInviteLink.
      ALTER TABLE invite_links ADD COLUMN is_primary INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    name: 'admin log',
    sql: `
      -- Recent actions (admin-log.ts): 48 hours of what the managers did.
      CREATE TABLE admin_log (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        actor_id INTEGER NOT NULL,
        action TEXT NOT NULL,
        user_id INTEGER,
        details TEXT NOT NULL
      );
      CREATE INDEX admin_log_by_actor ON admin_log (actor_id, id);
    `,
  },
  {
    name: 'public chats and join requests',
    sql: `
      -- The public username, as claimed in D1 (D1's chat_usernames decides who holds a name).
      ALTER TABLE chat ADD COLUMN username TEXT;
      -- Joining by the username makes a request an admin approves.
      ALTER TABLE chat ADD COLUMN join_by_request INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE invite_links ADD COLUMN creates_join_request INTEGER NOT NULL DEFAULT 0;
      -- Pending requests only: approving or declining deletes the row.
      CREATE TABLE join_requests (user_id INTEGER PRIMARY KEY, date INTEGER NOT NULL, link_id INTEGER);
      CREATE INDEX join_requests_oldest ON join_requests (date, user_id);
    `,
  },
  {
    name: 'chat photo',
    sql: `
      ALTER TABLE chat ADD COLUMN photo TEXT;
    `,
  },
  {
    name: 'anonymous admins',
    sql: `
      -- 1: sent by an admin with is_anonymous, shown as sent by the chat (sender_id hidden, the title as signature).
      ALTER TABLE messages ADD COLUMN anonymous INTEGER NOT NULL DEFAULT 0;
    `,
  },
  {
    name: 'forum topics',
    sql: `
      -- Supergroups split into topics (topics.ts). forum_since: the first message id sent
      -- after the chat first became a forum; older messages (topic_id NULL) are General's.
      ALTER TABLE chat ADD COLUMN is_forum INTEGER NOT NULL DEFAULT 0;
      ALTER TABLE chat ADD COLUMN forum_since INTEGER;
      -- Set on every message sent once the chat has been a forum (1: General), so each
      -- topic is one range of a partial index that other chats never write to.
      ALTER TABLE messages ADD COLUMN topic_id INTEGER;
      CREATE INDEX messages_topic ON messages (topic_id, id) WHERE topic_id IS NOT NULL;
      -- AUTOINCREMENT: a deleted topic's id is never given again (its messages' rows keep it).
      CREATE TABLE topics (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT NOT NULL,
        icon_color INTEGER NOT NULL,
        creator_id INTEGER,
        created_at INTEGER NOT NULL,
        closed INTEGER NOT NULL DEFAULT 0,
        hidden INTEGER NOT NULL DEFAULT 0,
        -- The newest message sent to it: orders the topic list by activity.
        last_message_id INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX topics_by_activity ON topics (last_message_id DESC, id DESC);
      -- A member's read position in one topic, written only when that member reads it.
      CREATE TABLE topic_reads (
        user_id INTEGER NOT NULL,
        topic_id INTEGER NOT NULL,
        max_id INTEGER NOT NULL,
        PRIMARY KEY (user_id, topic_id)
      ) WITHOUT ROWID;
    `,
  },
  {
    name: 'blocks in private chats',
    sql: `
      -- Private chats: who of the two blocked the other (D1's blocks is the
      -- authority; this copy is what a send checks, with no D1 read per message).
      CREATE TABLE blocks (blocker_id INTEGER NOT NULL, blocked_id INTEGER NOT NULL, PRIMARY KEY (blocker_id, blocked_id)) WITHOUT ROWID;
    `,
  },
  {
    name: 'discussion groups',
    sql: `
      -- A channel: its discussion group; a supergroup: the channel it discusses (discussion.ts).
      ALTER TABLE chat ADD COLUMN linked_chat_id INTEGER;
      -- A channel: each post forwarded into a discussion group, with its comment count as the group last said.
      CREATE TABLE post_discussions (
        post_id INTEGER PRIMARY KEY,
        group_id INTEGER NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        max_id INTEGER
      );
      -- A discussion group: the automatic forward of each channel post (the root of its comments' thread),
      -- with its comments counted as they come and go (so no comment counts the whole thread).
      CREATE TABLE discussion_posts (
        message_id INTEGER PRIMARY KEY,
        channel_id INTEGER NOT NULL,
        post_id INTEGER NOT NULL,
        count INTEGER NOT NULL DEFAULT 0,
        max_id INTEGER,
        UNIQUE (channel_id, post_id)
      );
      -- Notices to other chats' rooms not yet acknowledged (room-notices.ts): one per target and key.
      CREATE TABLE room_notices (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        target_chat INTEGER NOT NULL,
        key TEXT NOT NULL,
        body TEXT NOT NULL,
        v INTEGER NOT NULL,
        UNIQUE (target_chat, key)
      );
    `,
  },
];
