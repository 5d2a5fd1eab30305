import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { Handlers } from './dispatch.js';

/**
 * Forum topics (protocol/topics.ts): each method is the ChatRoom's verb
 * (durable-objects/chat-room/topics.ts), which authorizes the caller and
 * decides; the send and read verbs with a topic are in ./messages.ts.
 */
export const topicHandlers: Handlers<
  'toggleForum' | 'createForumTopic' | 'editForumTopic' | 'closeForumTopic' | 'reopenForumTopic' | 'deleteForumTopic' | 'getForumTopics'
> = {
  async toggleForum(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).toggleForum(ctx.caller.userId, p.enabled)) };
  },
  async createForumTopic(ctx, p) {
    return { topic: unwrap(await chatRoom(ctx.env, p.chat_id).createForumTopic(ctx.caller.userId, p.name, p.icon_color)) };
  },
  async editForumTopic(ctx, p) {
    const edit = { ...(p.name !== undefined ? { name: p.name } : {}), ...(p.hidden !== undefined ? { hidden: p.hidden } : {}) };
    return { topic: unwrap(await chatRoom(ctx.env, p.chat_id).editForumTopic(ctx.caller.userId, p.message_thread_id, edit)) };
  },
  async closeForumTopic(ctx, p) {
    return { topic: unwrap(await chatRoom(ctx.env, p.chat_id).setForumTopicClosed(ctx.caller.userId, p.message_thread_id, true)) };
  },
  async reopenForumTopic(ctx, p) {
    return { topic: unwrap(await chatRoom(ctx.env, p.chat_id).setForumTopicClosed(ctx.caller.userId, p.message_thread_id, false)) };
  },
  async deleteForumTopic(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).deleteForumTopic(ctx.caller.userId, p.message_thread_id));
    return { ok: true as const };
  },
  async getForumTopics(ctx, p) {
    const page = {
      limit: p.limit,
      ...(p.offset_message_id !== undefined ? { offset_message_id: p.offset_message_id } : {}),
      ...(p.offset_topic_id !== undefined ? { offset_topic_id: p.offset_topic_id } : {}),
    };
    return { topics: unwrap(await chatRoom(ctx.env, p.chat_id).getForumTopics(ctx.caller.userId, page)) };
  },
};
