import { database } from '../../d1/db.js';
import { findBot } from '../../d1/queries/bots.js';
import { fail } from '../../protocol/errors.js';
import { commandsForPrivateChat } from '../bots/commands.js';
import { createBot, deleteBot, listBots, renameBot, revokeBotToken, setPrivacy } from '../bots/manage.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom, mailbox } from '../../durable-objects/stubs.js';
import type { Handlers } from './dispatch.js';

/** Bot management (the same verbs BotFather offers in chat) and pressing a bot's callback button. */
export const botHandlers: Handlers<
  'createBot' | 'listMyBots' | 'renameBot' | 'revokeBotToken' | 'setBotPrivacy' | 'deleteBot' | 'pressCallbackButton' | 'getBotCommands'
> = {
  createBot: (ctx, p) => createBot(ctx.env, ctx.caller.userId, p, ctx.now()),
  listMyBots: async (ctx) => ({ bots: await listBots(ctx.env, ctx.caller.userId) }),
  renameBot: async (ctx, p) => ({ bot: await renameBot(ctx.env, ctx.caller.userId, p.bot_id, p.display_name) }),
  revokeBotToken: async (ctx, p) => ({ token: await revokeBotToken(ctx.env, ctx.caller.userId, p.bot_id) }),
  setBotPrivacy: async (ctx, p) => ({ bot: await setPrivacy(ctx.env, ctx.caller.userId, p.bot_id, p.enabled) }),
  async deleteBot(ctx, p) {
    await deleteBot(ctx.env, ctx.caller.userId, p.bot_id);
    return { ok: true as const };
  },
  /**
   * The presser must see the message (read through its chat, as them) and
   * the message must carry that callback button; only bots attach keyboards,
   * so its sender is the bot that gets the callback_query.
   */
  async pressCallbackButton(ctx, p) {
    const found = unwrap(await chatRoom(ctx.env, p.chat_id).getKeyboardMessage(ctx.caller.userId, p.message_id));
    if (!found) throw fail.notFound('Message');
    const { message, owner_id: bot } = found;
    const markup = message.reply_markup;
    const buttons = markup && 'inline_keyboard' in markup ? markup.inline_keyboard.flat() : [];
    if (!buttons.some((b) => b.callback_data === p.data)) throw fail.badRequest('The message has no button with this callback_data');
    const answer = unwrap(
      await mailbox(ctx.env, bot).botPressCallback(bot, { chat_id: p.chat_id, from_id: ctx.caller.userId, message, data: p.data }),
    );
    return { answer };
  },
  /** Anyone may read a bot's menu (Telegram shows it to whoever opens the bot); a deleted bot is not found. */
  async getBotCommands(ctx, p) {
    const found = await findBot(database(ctx.env.DB), p.bot_id);
    if (!found) throw fail.notFound('Bot');
    return { commands: commandsForPrivateChat(found.bot.commands, ctx.caller.userId, p.language_code) };
  },
};
