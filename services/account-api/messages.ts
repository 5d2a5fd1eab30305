import { fail } from '../../protocol/errors.js';
import { validateText } from '../../durable-objects/chat-room/text.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { database } from '../../d1/db.js';
import { unlinkedAuthors } from '../sending/forward-privacy.js';
import { forwardOf } from '../sending/outgoing.js';
import { send } from '../sending/send.js';
import { readOriginals } from '../sending/sources.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { Handlers } from './dispatch.js';
import { destination, peerChatFor, resolvePeer, sendTopic } from './peers.js';

export const messageHandlers: Handlers<
  | 'getHistory'
  | 'getMessages'
  | 'sendMessage'
  | 'forwardMessages'
  | 'editMessage'
  | 'deleteMessages'
  | 'readHistory'
  | 'setTyping'
  | 'sendReaction'
> = {
  async getHistory(ctx, p) {
    const query = {
      direction: p.direction,
      limit: p.limit,
      ...(p.offset_id ? { offset_id: p.offset_id } : {}),
      ...(p.thread_id ? { thread_id: p.thread_id } : {}),
      ...(p.message_thread_id ? { message_thread_id: p.message_thread_id } : {}),
    };
    const messages = unwrap(await chatRoom(ctx.env, p.chat_id).getHistory(ctx.caller.userId, query));
    return { messages };
  },
  async getMessages(ctx, p) {
    return { messages: unwrap(await chatRoom(ctx.env, p.chat_id).getMessages(ctx.caller.userId, p.ids)) };
  },
  async sendMessage(ctx, p) {
    // Check before resolving the peer: a bad text must not create a chat.
    validateText(p.text, p.entities);
    const topicId = sendTopic(p);
    const chatId = await peerChatFor(ctx, p.peer, p.reply_to_message_id);
    const content = { text: p.text, ...(p.entities ? { entities: p.entities } : {}) };
    return { message: await send(ctx.env, destination(ctx, chatId, p.reply_to_message_id, topicId), { random_id: p.random_id, content }) };
  },
  async forwardMessages(ctx, p) {
    if (p.random_ids.length !== p.ids.length) throw fail.badRequest('random_ids must have one entry per id');
    const originals = await readOriginals(ctx.env, ctx.caller.userId, p.from_chat_id, p.ids);
    // Nothing to forward is NOT_FOUND before the target is resolved, so it creates no chat.
    if (originals.size === 0) throw fail.notFound('Message');
    const to = destination(ctx, await resolvePeer(ctx, p.to), undefined);
    const unlinked = await unlinkedAuthors(database(ctx.env.DB), ctx.caller.userId, originals.values());
    const messages = [];
    for (const [i, id] of p.ids.entries()) {
      const original = originals.get(id);
      if (!original) continue; // deleted or hidden: forwarded as nothing, like Telegram
      messages.push(await send(ctx.env, to, { random_id: p.random_ids[i]!, content: forwardOf(original, unlinked.get(original.sender_id ?? 0)) }));
    }
    return { messages };
  },
  async editMessage(ctx, p) {
    const message = unwrap(await chatRoom(ctx.env, p.chat_id).editMessage(ctx.caller.userId, p.id, p.text, p.entities));
    return { message };
  },
  async deleteMessages(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).deleteMessages(ctx.caller.userId, p.ids, p.for_everyone));
    return { ok: true as const };
  },
  async readHistory(ctx, p) {
    const room = chatRoom(ctx.env, p.chat_id);
    if (p.message_thread_id !== undefined) return unwrap(await room.readTopicHistory(ctx.caller.userId, p.message_thread_id, p.max_id));
    return unwrap(await room.readHistory(ctx.caller.userId, p.max_id));
  },
  async setTyping(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).setTyping(ctx.caller.userId, p.action));
    return { ok: true as const };
  },
  async sendReaction(ctx, p) {
    return { reactions: unwrap(await chatRoom(ctx.env, p.chat_id).setReactions(ctx.caller.userId, p.message_id, p.reaction)) };
  },
};
