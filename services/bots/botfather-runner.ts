import { database } from '../../d1/db.js';
import { findBotFatherId, setBotCommands } from '../../d1/queries/bots.js';
import type { Message } from '../../protocol/messages.js';
import type { Env } from '../../durable-objects/env.js';
import { ROOM_RATE_ONLY, send, type Destination } from '../sending/send.js';
import type { BotQueue } from '../../durable-objects/user-mailbox/bot-queue.js';
import { readStoredOr, type StoredShape } from '../../durable-objects/sql/stored-json.js';
import { converse, Conversation, type BotFatherOps } from './botfather.js';
import { DEFAULT_COMMANDS_KEY, writeCommands } from './commands.js';
import { createBot, deleteBot, listBots, ownedBot, renameBot, revokeBotToken, setPrivacy } from './manage.js';

const CONVERSATION: StoredShape<typeof Conversation> = { name: 'bot_conversations.state', schema: Conversation, current: 1 };

/**
 * BotFather is a bot account whose consumer runs inside its own mailbox:
 * its update queue is read like any bot's (confirmed after each message),
 * so a message is answered at least once, and the replies carry random_ids
 * derived from the message, so a re-run posts nothing twice.
 */

let botFatherId: Promise<number | undefined> | undefined;

/** BotFather's account id, looked up once per isolate (it never changes). */
export function botFatherAccountId(env: Pick<Env, 'DB'>): Promise<number | undefined> {
  botFatherId ??= findBotFatherId(database(env.DB)).catch((err: unknown) => {
    botFatherId = undefined; // retry on the next call
    throw err;
  });
  return botFatherId;
}

export async function runBotFather(env: Env, queue: BotQueue, now: () => number): Promise<void> {
  for (;;) {
    const batch = queue.pending(20);
    if (batch.updates.length === 0) return;
    for (const q of batch.updates) {
      const u = q.update;
      // Only private chats: BotFather does not converse in groups.
      if (u.type === 'new_message' && batch.chats.find((c) => c.id === u.message.chat_id)?.kind === 'private') {
        await answer(env, queue, u.message, now);
      }
      queue.confirm(q.update_id + 1);
    }
  }
}

async function answer(env: Env, queue: BotQueue, message: Message, now: () => number): Promise<void> {
  // BotFather is only ever in private chats, where every message names its sender.
  const userId = message.sender_id;
  if (userId === null) return;
  const saved = queue.conversation(userId);
  // Unreadable (logged): the user starts over, as after any finished command.
  const state = saved ? readStoredOr(CONVERSATION, saved, null, { bot: 'BotFather', user_id: userId }) : null;
  const turn = await converse(message.text, state, opsFor(env, userId, now));
  // BotFather is held to no flood limit: it only ever answers people, once per message.
  const to: Destination = { senderId: queue.botId, chatId: message.chat_id, flood: ROOM_RATE_ONLY };
  for (const [i, reply] of turn.replies.entries()) {
    await send(env, to, {
      random_id: `botfather-${message.id}-${i}`,
      content: { text: reply.text, ...(reply.entities ? { entities: reply.entities } : {}) },
      ...(reply.reply_markup ? { keyboard: reply.reply_markup } : {}),
    });
  }
  queue.setConversation(userId, turn.state && JSON.stringify(turn.state));
}

function opsFor(env: Env, ownerId: number, now: () => number): BotFatherOps {
  return {
    create: (username, name) => createBot(env, ownerId, { username, display_name: name }, now()),
    list: () => listBots(env, ownerId),
    revoke: (botId) => revokeBotToken(env, ownerId, botId),
    async setCommands(botId, commands) {
      const record = await ownedBot(env, ownerId, botId);
      await setBotCommands(database(env.DB), botId, writeCommands(record.bot.commands, DEFAULT_COMMANDS_KEY, commands));
    },
    remove: (botId) => deleteBot(env, ownerId, botId),
    async setPrivacy(botId, enabled) {
      await setPrivacy(env, ownerId, botId, enabled);
    },
    async rename(botId, name) {
      await renameBot(env, ownerId, botId, name);
    },
  };
}
