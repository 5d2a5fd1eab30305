import { fail } from '../../protocol/errors.js';
import { validateText } from '../chat-room/text.js';
import { unwrap } from '../outcome.js';
import { chatRoom } from '../stubs.js';
import type { Handlers } from './dispatch.js';
import { peerChatFor, resolvePeer } from './peers.js';

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
    const chatId = await peerChatFor(ctx, p.peer, p.reply_to_message_id);
    const message = unwrap(
      await chatRoom(ctx.env, chatId).sendMessage(ctx.caller.userId, {
        random_id: p.random_id,
        text: p.text,
        ...(p.entities ? { entities: p.entities } : {}),
        ...(p.reply_to_message_id ? { reply_to_message_id: p.reply_to_message_id } : {}),
      }),
    );
    return { message };
  },
  async forwardMessages(ctx, p) {
    if (p.random_ids.length !== p.ids.length) throw fail.badRequest('random_ids must have one entry per id');
    // Reading through the source chat authorizes the caller to see what it forwards.
    const originals = unwrap(await chatRoom(ctx.env, p.from_chat_id).getMessages(ctx.caller.userId, p.ids));
    // Nothing to forward is NOT_FOUND before the target is resolved, so it creates no chat.
    if (originals.length === 0) throw fail.notFound('Message');
    const byId = new Map(originals.map((m) => [m.id, m]));
    const target = chatRoom(ctx.env, await resolvePeer(ctx, p.to));
    const messages = [];
    for (const [i, id] of p.ids.entries()) {
      const original = byId.get(id);
      if (!original) continue; // deleted or hidden: forwarded as nothing, like Telegram
      const message = unwrap(
        await target.sendMessage(ctx.caller.userId, {
          random_id: p.random_ids[i]!,
          text: original.text,
          entities: original.entities,
          // A forward keeps the media (the files stay shared, each message holds a ref) but not the album.
          ...(original.media ? { media: { ...original.media, grouped_id: null } } : {}),
          // A forward of a forward keeps the first origin.
          fwd_from: original.fwd_from ?? {
            sender_id: original.sender_id,
            chat_id: original.chat_id,
            message_id: original.id,
            date: original.date,
          },
        }),
      );
      messages.push(message);
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
    return unwrap(await chatRoom(ctx.env, p.chat_id).readHistory(ctx.caller.userId, p.max_id));
  },
  async setTyping(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).setTyping(ctx.caller.userId, p.action));
    return { ok: true as const };
  },
  async sendReaction(ctx, p) {
    return { reactions: unwrap(await chatRoom(ctx.env, p.chat_id).setReactions(ctx.caller.userId, p.message_id, p.reaction)) };
  },
};
