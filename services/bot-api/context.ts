import type { BotRecord } from '../../d1/queries/bots.js';
import type { User } from '../../protocol/common.js';
import type { Env } from '../../durable-objects/env.js';
import { toUser } from '../../d1/queries/accounts.js';

/** The bot a Bot API call acts as: verified from its token (or its own mailbox, for a webhook's reply). */
export type BotIdentity = {
  id: number;
  user: User;
  ownerId: number;
  privacyMode: boolean;
  /** bots.commands JSON, see ../bots/commands.ts. */
  commands: string;
};

export type BotCallContext = {
  env: Env;
  bot: BotIdentity;
  now: () => number;
  /** Where the call came in (links the bot is given, invite links, point there); absent for a webhook's reply call. */
  origin?: string;
};

/** The app's public origin for links: the request's, else the app's own (appOrigin). */
export function publicOrigin(ctx: BotCallContext): string {
  return ctx.origin ?? appOrigin(ctx.env);
}

/** The web app's origin (the first allowed one), where links open when no request says otherwise (updates). */
export function appOrigin(env: Pick<Env, 'ALLOWED_ORIGINS'>): string {
  return env.ALLOWED_ORIGINS.split(',')[0]!.trim();
}

export function identityOf(record: BotRecord): BotIdentity {
  return {
    id: record.account.id,
    user: toUser(record.account),
    ownerId: record.bot.ownerId,
    privacyMode: record.bot.privacyMode,
    commands: record.bot.commands,
  };
}
