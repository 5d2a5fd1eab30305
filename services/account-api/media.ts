import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { checkText } from '../../durable-objects/chat-room/media.js';
import { albumKindsFit } from '../media/access.js';
import { fileUrl } from '../media/file-urls.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { sendAlbum, send } from '../sending/send.js';
import { claimMedia } from '../sending/sources.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { Handlers } from './dispatch.js';
import { destination, peerChatFor, sendTopic } from './peers.js';

/**
 * Media messages and file links. Files are checked here (the sender may use
 * each one, the kind fits its sniffed type) before the chat is reached; the
 * chat then stores the media with the message and records the file refs.
 */
export const mediaHandlers: Handlers<'sendMedia' | 'sendAlbum' | 'getFileUrl'> = {
  async sendMedia(ctx, p) {
    // Check before resolving the peer: a bad caption must not create a chat.
    checkText(p.caption ?? '', p.entities, true);
    const media = await claimMedia(ctx.env, ctx.caller.userId, p.media, ctx.now());
    const topicId = sendTopic(p);
    const chatId = await peerChatFor(ctx, p.peer, p.reply_to_message_id);
    const content = { text: p.caption ?? '', media, ...(p.entities ? { entities: p.entities } : {}) };
    const to = destination(ctx, chatId, p.reply_to_message_id, topicId);
    return { message: await send(ctx.env, to, { random_id: p.random_id, content }) };
  },
  async sendAlbum(ctx, p) {
    if (!albumKindsFit(p.items.map((i) => i.media.kind))) {
      throw new EdgegramError(
        ErrorCode.MEDIA_INVALID,
        'An album holds photos and videos, or only documents, or only audio',
      );
    }
    if (new Set(p.items.map((i) => i.random_id)).size !== p.items.length) {
      throw fail.badRequest('Each album item needs its own random_id');
    }
    p.items.forEach((item) => checkText(item.caption ?? '', item.entities, true));
    const items = [];
    for (const item of p.items) {
      const media = await claimMedia(ctx.env, ctx.caller.userId, item.media, ctx.now());
      items.push({ random_id: item.random_id, content: { text: item.caption ?? '', media, ...(item.entities ? { entities: item.entities } : {}) } });
    }
    const topicId = sendTopic(p);
    const chatId = await peerChatFor(ctx, p.peer, p.reply_to_message_id);
    return { messages: await sendAlbum(ctx.env, destination(ctx, chatId, p.reply_to_message_id, topicId), items) };
  },
  async getFileUrl(ctx, p) {
    // The chat decides: the caller must be a member who can see this message.
    const [message] = unwrap(await chatRoom(ctx.env, p.chat_id).getMessages(ctx.caller.userId, [p.message_id]));
    if (!message) throw fail.notFound('Message');
    const file = p.thumb ? message.media?.thumb : message.media?.file;
    if (!file) throw new EdgegramError(ErrorCode.FILE_NOT_FOUND, p.thumb ? 'This message has no thumbnail' : 'This message has no file');
    return fileUrl(ctx.env.DB, file.id, file.file_name, ctx.now());
  },
};
