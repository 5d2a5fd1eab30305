import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { chatMembers, chats } from '../schema.js';

export function privatePair(a: number, b: number): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** The private chat of two users (a user with itself is "Saved Messages"); created once. */
/** The private chat of two users, created if it was not; `created` says whether this call made it. */
export async function getOrCreatePrivateChat(db: Db, a: number, b: number, now: number): Promise<{ id: number; created: boolean }> {
  const [made] = await db
    .insert(chats)
    .values({ kind: 'private', privatePair: privatePair(a, b), createdAt: now })
    .onConflictDoNothing()
    .returning({ id: chats.id });
  if (made) return { id: made.id, created: true };
  return { id: (await findPrivateChat(db, a, b))!.id, created: false };
}

/** The private chat of two users, if it was created. */
export async function findPrivateChat(db: Db, a: number, b: number) {
  return db.query.chats.findFirst({ where: eq(chats.privatePair, privatePair(a, b)) });
}

/** A group's or channel's directory row; its ChatRoom is created right after with this id. */
export async function createTitledChat(
  db: Db,
  kind: 'group' | 'channel' | 'supergroup',
  title: string,
  creatorId: number,
  now: number,
): Promise<number> {
  const [row] = await db.insert(chats).values({ kind, title, creatorId, createdAt: now }).returning();
  return row!.id;
}

export async function findChat(db: Db, chatId: number) {
  return db.query.chats.findFirst({ where: eq(chats.id, chatId) });
}

/** Index writes, mirrored from a ChatRoom after it commits. Idempotent. */
export type MembershipChange =
  | { op: 'upsert'; chatId: number; accountId: number; role: 'creator' | 'admin' | 'member'; joinedAt: number }
  | { op: 'delete'; chatId: number; accountId: number };

export function membershipStatement(db: Db, change: MembershipChange) {
  if (change.op === 'delete') {
    return db
      .delete(chatMembers)
      .where(and(eq(chatMembers.chatId, change.chatId), eq(chatMembers.accountId, change.accountId)));
  }
  return db
    .insert(chatMembers)
    .values({ chatId: change.chatId, accountId: change.accountId, role: change.role, joinedAt: change.joinedAt })
    .onConflictDoUpdate({ target: [chatMembers.accountId, chatMembers.chatId], set: { role: change.role } });
}

export async function listChatIdsOf(db: Db, accountId: number): Promise<number[]> {
  const rows = await db.select({ chatId: chatMembers.chatId }).from(chatMembers).where(eq(chatMembers.accountId, accountId));
  return rows.map((r) => r.chatId);
}

/**
 * Of `others`, the accounts that share a chat with `accountId` in which
 * members see each other: a private chat or a group, or a channel where one
 * of the two manages it (subscribers do not see each other). Read from the
 * membership index, which follows each ChatRoom shortly after it commits.
 */
export async function visiblePeersAmong(db: Db, accountId: number, others: readonly number[]): Promise<Set<number>> {
  if (others.length === 0) return new Set();
  const rows = await db.all<{ account_id: number }>(
    sql`SELECT DISTINCT theirs.account_id FROM chat_members AS mine
        JOIN chat_members AS theirs ON theirs.chat_id = mine.chat_id
        JOIN chats ON chats.id = mine.chat_id
        WHERE mine.account_id = ${accountId}
          AND theirs.account_id IN (SELECT value FROM json_each(${JSON.stringify(others)}))
          AND (chats.kind <> 'channel' OR mine.role <> 'member' OR theirs.role <> 'member')`,
  );
  return new Set(rows.map((r) => r.account_id));
}

/** One member of a getChatMembers page, with what the page shows of them. */
export type MemberListRow = {
  accountId: number;
  role: 'creator' | 'admin' | 'member';
  joinedAt: number;
  username: string;
  displayName: string;
  isBot: boolean;
  about: string | null;
};

/**
 * A page of a chat's members from the D1 index (the chat keeps no names):
 * creator and admins first, then by join order; with `query`, only those
 * whose display name or a word of it, or username, starts with it
 * (case-insensitive for ASCII, as SQLite's lower()).
 */
export async function chatMembersPage(
  db: Db,
  chatId: number,
  options: { query?: string; offset: number; limit: number },
): Promise<MemberListRow[]> {
  // instr, not LIKE: D1 caps LIKE patterns at 50 bytes, and nothing typed needs escaping.
  const q = options.query?.toLowerCase();
  const matches = q
    ? sql`AND (instr(lower(a.display_name), ${q}) = 1 OR instr(lower(a.display_name), ${' ' + q}) > 0 OR instr(a.username_key, ${q}) = 1)`
    : sql``;
  return db.all<MemberListRow>(sql`
    SELECT m.account_id AS accountId, m.role, m.joined_at AS joinedAt, a.username, a.display_name AS displayName,
           a.is_bot AS isBot, a.about
    FROM chat_members m JOIN accounts a ON a.id = m.account_id
    WHERE m.chat_id = ${chatId} ${matches}
    ORDER BY CASE m.role WHEN 'creator' THEN 0 WHEN 'admin' THEN 1 ELSE 2 END, m.joined_at, m.account_id
    LIMIT ${options.limit} OFFSET ${options.offset}`);
}

/** Members of a small chat with a device online now (accounts.online follows the mailboxes' sockets). */
export async function countOnlineMembers(db: Db, chatId: number): Promise<number> {
  const [row] = await db.all<{ n: number }>(sql`
    SELECT COUNT(*) AS n FROM chat_members m JOIN accounts a ON a.id = m.account_id WHERE m.chat_id = ${chatId} AND a.online = 1`);
  return row?.n ?? 0;
}
