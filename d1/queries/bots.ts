import { and, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db.js';
import { accounts, bots } from '../schema.js';
import { usernameKey, type AccountRow } from './accounts.js';

export type BotRow = typeof bots.$inferSelect;
export type BotRecord = { account: AccountRow; bot: BotRow };

/** The built-in bot-management bot, created by migration 0002. */
export const BOT_FATHER_USERNAME = 'BotFather';

/**
 * Creates the bot's account and its bots row in one batch (one transaction).
 * The bots row is inserted only for an account this batch just created
 * (a bot account with no bots row yet), so a taken username (by a user or
 * another bot) inserts nothing: returns null.
 */
export async function createBotAccount(
  db: Db,
  input: { ownerId: number; username: string; displayName: string; tokenHash: string; now: number },
): Promise<BotRecord | null> {
  const key = usernameKey(input.username);
  await db.batch([
    db
      .insert(accounts)
      .values({ username: input.username, usernameKey: key, displayName: input.displayName, passwordHash: null, isBot: true, createdAt: input.now })
      .onConflictDoNothing({ target: accounts.usernameKey }),
    // Every column of bots, in table order: account_id, owner_id, token_hash, commands, privacy_mode, created_at.
    db.insert(bots).select(
      sql`SELECT id, ${input.ownerId}, ${input.tokenHash}, '{}', 1, ${input.now} FROM accounts
          WHERE username_key = ${key} AND is_bot = 1 AND NOT EXISTS (SELECT 1 FROM bots WHERE bots.account_id = accounts.id)`,
    ),
  ]);
  const found = await findBotByUsername(db, input.username);
  return found && found.bot.tokenHash === input.tokenHash ? found : null;
}

export async function findBot(db: Db, botId: number): Promise<BotRecord | undefined> {
  const rows = await db
    .select({ account: accounts, bot: bots })
    .from(bots)
    .innerJoin(accounts, eq(accounts.id, bots.accountId))
    .where(eq(bots.accountId, botId))
    .limit(1);
  return rows[0];
}

export async function findBotByUsername(db: Db, username: string): Promise<BotRecord | undefined> {
  const rows = await db
    .select({ account: accounts, bot: bots })
    .from(bots)
    .innerJoin(accounts, eq(accounts.id, bots.accountId))
    .where(eq(accounts.usernameKey, usernameKey(username)))
    .limit(1);
  return rows[0];
}

/** Privacy settings of the given accounts that are bots (others are left out). */
export async function findBotsByIds(db: Db, ids: readonly number[]): Promise<BotRecord[]> {
  const out: BotRecord[] = [];
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += 90) {
    const slice = unique.slice(i, i + 90);
    out.push(
      ...(await db
        .select({ account: accounts, bot: bots })
        .from(bots)
        .innerJoin(accounts, eq(accounts.id, bots.accountId))
        .where(sql`${bots.accountId} IN (SELECT value FROM json_each(${JSON.stringify(slice)}))`)),
    );
  }
  return out;
}

export async function listBotsOf(db: Db, ownerId: number): Promise<BotRecord[]> {
  return db
    .select({ account: accounts, bot: bots })
    .from(bots)
    .innerJoin(accounts, eq(accounts.id, bots.accountId))
    .where(eq(bots.ownerId, ownerId))
    .orderBy(bots.createdAt, bots.accountId);
}

export async function countBotsOf(db: Db, ownerId: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(bots).where(eq(bots.ownerId, ownerId));
  return row?.n ?? 0;
}

export async function setBotTokenHash(db: Db, botId: number, tokenHash: string): Promise<void> {
  await db.update(bots).set({ tokenHash }).where(eq(bots.accountId, botId));
}

export async function setBotPrivacy(db: Db, botId: number, privacyMode: boolean): Promise<void> {
  await db.update(bots).set({ privacyMode }).where(eq(bots.accountId, botId));
}

export async function setBotCommands(db: Db, botId: number, commandsJson: string): Promise<void> {
  await db.update(bots).set({ commands: commandsJson }).where(eq(bots.accountId, botId));
}

export async function renameAccount(db: Db, accountId: number, displayName: string): Promise<void> {
  await db.update(accounts).set({ displayName }).where(eq(accounts.id, accountId));
}

/**
 * Deletes the bot: its bots row goes (the token stops working) and its
 * username is freed. The account row stays, as "Deleted Bot", because chats
 * and messages still name its id.
 */
export async function deleteBotAccount(db: Db, botId: number): Promise<void> {
  await db.batch([
    db.delete(bots).where(eq(bots.accountId, botId)),
    db
      .update(accounts)
      .set({ username: '', usernameKey: `#deleted:${botId}`, displayName: 'Deleted Bot' })
      .where(and(eq(accounts.id, botId), eq(accounts.isBot, true))),
  ]);
}

/** BotFather's account id (created by migration); cached per isolate by callers. */
export async function findBotFatherId(db: Db): Promise<number | undefined> {
  const row = await db.query.accounts.findFirst({
    columns: { id: true },
    where: and(eq(accounts.usernameKey, usernameKey(BOT_FATHER_USERNAME)), eq(accounts.isBot, true)),
  });
  return row?.id;
}
