import { database } from '../../d1/db.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { checkText } from '../chat-room/media.js';
import { albumKindsFit, resolveMedia } from '../media/access.js';
import { fileUrl } from '../media/file-urls.js';
import { unwrap } from '../outcome.js';
import { chatRoom } from '../stubs.js';
import type { Handlers } from './dispatch.js';
import { peerChatFor } from './peers.js';

/**
 * Media messages and file links. Files are checked here (the sender may use
 * each one, the kind fits its sniffed type) before the chat is reached; the
 * chat then stores the media with the message and records the file refs.
 */
export const mediaHandlers: Handlers<'sendMedia' | 'sendAlbum' | 'getFileUrl'> = {
  async sendMedia(ctx, p) {
    // Check before resolving the peer: a bad caption must not create a chat.
    checkText(p.caption ?? '', p.entities, true);
    const db = database(ctx.env.DB);
    const media = await resolveMedia(db, ctx.caller.userId, p.media, ctx.now());
    const chatId = await peerChatFor(ctx, p.peer, p.reply_to_message_id);
    const message = unwrap(
      await chatRoom(ctx.env, chatId).sendMessage(ctx.caller.userId, {
        random_id: p.random_id,
        text: p.caption ?? '',
        media,
        ...(p.entities ? { entities: p.entities } : {}),
        ...(p.reply_to_message_id ? { reply_to_message_id: p.reply_to_message_id } : {}),
      }),
    );
    return { message };
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
    const db = database(ctx.env.DB);
    const items = [];
    for (const item of p.items) {
      items.push({
        random_id: item.random_id,
        text: item.caption ?? '',
        media: await resolveMedia(db, ctx.caller.userId, item.media, ctx.now()),
        ...(item.entities ? { entities: item.entities } : {}),
        ...(p.reply_to_message_id ? { reply_to_message_id: p.reply_to_message_id } : {}),
      });
    }
    const chatId = await peerChatFor(ctx, p.peer, p.reply_to_message_id);
    return { messages: unwrap(await chatRoom(ctx.env, chatId).sendAlbum(ctx.caller.userId, items)) };
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
