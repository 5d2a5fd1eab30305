import { database } from '../../d1/db.js';
import { findAccountById, toUser } from '../../d1/queries/accounts.js';
import {
  countBotsOf,
  createBotAccount,
  deleteBotAccount,
  findBot,
  listBotsOf,
  renameAccount,
  setBotPrivacy,
  setBotTokenHash,
  type BotRecord,
} from '../../d1/queries/bots.js';
import { isBotUsername, MAX_BOTS_PER_OWNER, type BotInfo } from '../../protocol/bots.js';
import { DisplayName } from '../../protocol/common.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import type { Env } from '../../durable-objects/env.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { mailbox } from '../../durable-objects/stubs.js';
import { botToken, hashBotSecret, newBotSecret } from './tokens.js';

/**
 * Bot management, shared by the account API (createBot, …) and BotFather.
 * Every verb but create acts on a bot the caller owns; another's bot is
 * NOT_FOUND, exactly like a missing one.
 */

export function toBotInfo(record: BotRecord): BotInfo {
  return {
    user: toUser(record.account),
    owner_id: record.bot.ownerId,
    privacy_mode: record.bot.privacyMode,
    created_at: record.bot.createdAt,
  };
}

export async function createBot(
  env: Pick<Env, 'DB'>,
  ownerId: number,
  input: { username: string; display_name: string },
  now: number,
): Promise<{ bot: BotInfo; token: string }> {
  if (!isBotUsername(input.username)) {
    throw new EdgegramError(
      ErrorCode.USERNAME_INVALID,
      "A bot's username is 5-32 letters, digits or underscores, starts with a letter and ends in 'bot', e.g. TetrisBot or tetris_bot",
    );
  }
  const name = DisplayName.safeParse(input.display_name);
  if (!name.success) throw fail.badRequest('A name is 1-64 characters');
  const db = database(env.DB);
  const owner = await findAccountById(db, ownerId);
  if (!owner || owner.isBot) throw fail.forbidden('Bots cannot create bots');
  if ((await countBotsOf(db, ownerId)) >= MAX_BOTS_PER_OWNER) {
    throw fail.forbidden(`An account owns at most ${MAX_BOTS_PER_OWNER} bots`);
  }
  const secret = newBotSecret();
  const record = await createBotAccount(db, {
    ownerId,
    username: input.username,
    displayName: name.data,
    tokenHash: await hashBotSecret(secret),
    now,
  });
  if (!record) throw new EdgegramError(ErrorCode.USERNAME_TAKEN, 'This username is already taken');
  return { bot: toBotInfo(record), token: botToken(record.account.id, secret) };
}

export async function listBots(env: Pick<Env, 'DB'>, ownerId: number): Promise<BotInfo[]> {
  return (await listBotsOf(database(env.DB), ownerId)).map(toBotInfo);
}

export async function ownedBot(env: Pick<Env, 'DB'>, ownerId: number, botId: number): Promise<BotRecord> {
  const record = await findBot(database(env.DB), botId);
  if (!record || record.bot.ownerId !== ownerId) throw fail.notFound('Bot');
  return record;
}

export async function renameBot(env: Pick<Env, 'DB'>, ownerId: number, botId: number, displayName: string): Promise<BotInfo> {
  await ownedBot(env, ownerId, botId);
  const name = DisplayName.safeParse(displayName);
  if (!name.success) throw fail.badRequest('A name is 1-64 characters');
  await renameAccount(database(env.DB), botId, name.data);
  return toBotInfo(await ownedBot(env, ownerId, botId));
}

/** A new token; the old one fails from now on (it is checked on every call). */
export async function revokeBotToken(env: Pick<Env, 'DB'>, ownerId: number, botId: number): Promise<string> {
  await ownedBot(env, ownerId, botId);
  const secret = newBotSecret();
  await setBotTokenHash(database(env.DB), botId, await hashBotSecret(secret));
  return botToken(botId, secret);
}

/** Applies to groups the bot joins afterwards, as in Telegram (a group keeps the mode it was joined with). */
export async function setPrivacy(env: Pick<Env, 'DB'>, ownerId: number, botId: number, enabled: boolean): Promise<BotInfo> {
  await ownedBot(env, ownerId, botId);
  await setBotPrivacy(database(env.DB), botId, enabled);
  return toBotInfo(await ownedBot(env, ownerId, botId));
}

/** The token stops working and the username is freed; its webhook and pending updates are dropped. */
export async function deleteBot(env: Pick<Env, 'DB' | 'USER_MAILBOX'>, ownerId: number, botId: number): Promise<void> {
  await ownedBot(env, ownerId, botId);
  await deleteBotAccount(database(env.DB), botId);
  unwrap(await mailbox(env, botId).botDeleteWebhook(botId, true));
}
