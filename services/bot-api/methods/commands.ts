import { database } from '../../../d1/db.js';
import { findBot, setBotCommands } from '../../../d1/queries/bots.js';
import { commandProblem, commandsKey, readCommands, writeCommands } from '../../bots/commands.js';
import { mailbox } from '../../../durable-objects/stubs.js';
import type { BotCallContext } from '../context.js';
import type { BotHandlers } from '../dispatch.js';
import { botError, unwrapBot } from '../errors.js';

export const commandMethods: BotHandlers<'setMyCommands' | 'getMyCommands' | 'deleteMyCommands' | 'answerCallbackQuery'> = {
  async setMyCommands(ctx, p) {
    const problem = commandProblem(p.commands);
    if (problem) throw botError.badRequest(problem);
    await saveCommands(ctx, commandsKey(p.scope, p.language_code), p.commands);
    return true;
  },

  async getMyCommands(ctx, p) {
    return readCommands(ctx.bot.commands, commandsKey(p.scope, p.language_code));
  },

  async deleteMyCommands(ctx, p) {
    await saveCommands(ctx, commandsKey(p.scope, p.language_code), null);
    return true;
  },

  /** The pressing user's call is waiting in the bot's mailbox; the answer ends its wait. */
  async answerCallbackQuery(ctx, p) {
    const answered = unwrapBot(
      await mailbox(ctx.env, ctx.bot.id).botAnswerCallback(ctx.bot.id, p.callback_query_id, {
        show_alert: p.show_alert ?? false,
        ...(p.text ? { text: p.text.slice(0, 200) } : {}),
        ...(p.url ? { url: p.url } : {}),
      }),
    );
    if (!answered) throw botError.badRequest('query is too old and response timeout expired or query ID is invalid');
    return true;
  },
};

/** Read-modify-write of the bot's one commands row (a bot sets its commands from one place at a time). */
async function saveCommands(ctx: BotCallContext, key: string, commands: { command: string; description: string }[] | null) {
  const db = database(ctx.env.DB);
  const current = (await findBot(db, ctx.bot.id))?.bot.commands ?? ctx.bot.commands;
  await setBotCommands(db, ctx.bot.id, writeCommands(current, key, commands));
}
