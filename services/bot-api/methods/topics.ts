import { chatRoom } from '../../../durable-objects/stubs.js';
import type { BotApiForumTopic } from '../../../protocol/bot-api/types.js';
import type { BotChatId } from '../../../protocol/bot-api/params.js';
import { GENERAL_TOPIC_ID } from '../../../protocol/topics.js';
import { resolveChat } from '../chats.js';
import type { BotCallContext } from '../context.js';
import type { BotHandlers } from '../dispatch.js';
import { botError, unwrapBot } from '../errors.js';

/**
 * Forum topics (Bot API 6.3+), over the ChatRoom's topic verbs
 * (durable-objects/chat-room/topics.ts), which check the bot's rights as
 * any member's. Telegram's General-topic methods are the same verbs on
 * topic 1. Custom-emoji icons are not kept: Edgegram has no custom emoji,
 * so getForumTopicIconStickers offers none.
 */

const noRights = (what: string) => `Bad Request: not enough rights to ${what}`;

/** The room's answer for a bot: its chat id, or "chat not found" for a private chat (it has no topics). */
async function forumChat(ctx: BotCallContext, chatId: BotChatId): Promise<number> {
  const target = await resolveChat(ctx, chatId, 'read');
  if (target.kind !== 'group') throw botError.badRequest('the chat is not a forum');
  return target.chatId;
}

async function setClosed(ctx: BotCallContext, chatId: BotChatId, topicId: number, closed: boolean): Promise<true> {
  const room = chatRoom(ctx.env, await forumChat(ctx, chatId));
  unwrapBot(await room.setForumTopicClosed(ctx.bot.id, topicId, closed), { FORBIDDEN: noRights(`${closed ? 'close' : 'reopen'} the topic`) });
  return true;
}

async function setGeneralHidden(ctx: BotCallContext, chatId: BotChatId, hidden: boolean): Promise<true> {
  const room = chatRoom(ctx.env, await forumChat(ctx, chatId));
  unwrapBot(await room.editForumTopic(ctx.bot.id, GENERAL_TOPIC_ID, { hidden }), { FORBIDDEN: noRights('edit the topic') });
  return true;
}

async function unpinTopic(ctx: BotCallContext, chatId: BotChatId, topicId: number): Promise<true> {
  const room = chatRoom(ctx.env, await forumChat(ctx, chatId));
  unwrapBot(await room.unpinAllInTopic(ctx.bot.id, topicId), { FORBIDDEN: noRights('manage pinned messages in the chat') });
  return true;
}

export const topicMethods: BotHandlers<
  | 'createForumTopic'
  | 'editForumTopic'
  | 'closeForumTopic'
  | 'reopenForumTopic'
  | 'deleteForumTopic'
  | 'unpinAllForumTopicMessages'
  | 'editGeneralForumTopic'
  | 'closeGeneralForumTopic'
  | 'reopenGeneralForumTopic'
  | 'hideGeneralForumTopic'
  | 'unhideGeneralForumTopic'
  | 'unpinAllGeneralForumTopicMessages'
  | 'getForumTopicIconStickers'
> = {
  async createForumTopic(ctx, p) {
    const room = chatRoom(ctx.env, await forumChat(ctx, p.chat_id));
    const topic = unwrapBot(await room.createForumTopic(ctx.bot.id, p.name, p.icon_color), { FORBIDDEN: noRights('create a topic') });
    return { message_thread_id: topic.id, name: topic.name, icon_color: topic.icon_color } satisfies BotApiForumTopic;
  },
  async editForumTopic(ctx, p) {
    const room = chatRoom(ctx.env, await forumChat(ctx, p.chat_id));
    // Only the name can change here (no custom emoji); an edit of nothing changes nothing, as in Telegram.
    unwrapBot(await room.editForumTopic(ctx.bot.id, p.message_thread_id, p.name !== undefined ? { name: p.name } : {}), {
      FORBIDDEN: noRights('edit the topic'),
    });
    return true;
  },
  closeForumTopic: (ctx, p) => setClosed(ctx, p.chat_id, p.message_thread_id, true),
  reopenForumTopic: (ctx, p) => setClosed(ctx, p.chat_id, p.message_thread_id, false),
  async deleteForumTopic(ctx, p) {
    const room = chatRoom(ctx.env, await forumChat(ctx, p.chat_id));
    unwrapBot(await room.deleteForumTopic(ctx.bot.id, p.message_thread_id), { FORBIDDEN: noRights('delete the topic') });
    return true;
  },
  unpinAllForumTopicMessages: (ctx, p) => unpinTopic(ctx, p.chat_id, p.message_thread_id),
  async editGeneralForumTopic(ctx, p) {
    const room = chatRoom(ctx.env, await forumChat(ctx, p.chat_id));
    unwrapBot(await room.editForumTopic(ctx.bot.id, GENERAL_TOPIC_ID, { name: p.name }), { FORBIDDEN: noRights('edit the topic') });
    return true;
  },
  closeGeneralForumTopic: (ctx, p) => setClosed(ctx, p.chat_id, GENERAL_TOPIC_ID, true),
  reopenGeneralForumTopic: (ctx, p) => setClosed(ctx, p.chat_id, GENERAL_TOPIC_ID, false),
  hideGeneralForumTopic: (ctx, p) => setGeneralHidden(ctx, p.chat_id, true),
  unhideGeneralForumTopic: (ctx, p) => setGeneralHidden(ctx, p.chat_id, false),
  unpinAllGeneralForumTopicMessages: (ctx, p) => unpinTopic(ctx, p.chat_id, GENERAL_TOPIC_ID),
  async getForumTopicIconStickers() {
    return [];
  },
};
