import { database } from '../../d1/db.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { claimChatPhoto, keepChatPhoto } from '../media/chat-photos.js';
import { fileUrl } from '../media/file-urls.js';
import type { Handlers } from './dispatch.js';

/**
 * Chat pictures: the files are checked here, as the setter (see
 * ../media/chat-photos.ts); the chat decides who may change its picture
 * and, for a download link, who may see it.
 */
export const chatPhotoHandlers: Handlers<'setChatPhoto' | 'deleteChatPhoto' | 'getChatPhotoUrl'> = {
  async setChatPhoto(ctx, p) {
    const { chat_id, ...input } = p;
    const db = database(ctx.env.DB);
    const photo = await claimChatPhoto(db, ctx.caller.userId, input, ctx.now());
    const chat = unwrap(await chatRoom(ctx.env, chat_id).setPhoto(ctx.caller.userId, photo));
    await keepChatPhoto(db, ctx.caller.userId, photo, ctx.now());
    return { chat };
  },
  async deleteChatPhoto(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).deletePhoto(ctx.caller.userId)) };
  },
  async getChatPhotoUrl(ctx, p) {
    // The chat decides: the caller must be a member.
    const photo = unwrap(await chatRoom(ctx.env, p.chat_id).getPhoto(ctx.caller.userId));
    if (!photo) throw new EdgegramError(ErrorCode.FILE_NOT_FOUND, 'This chat has no photo');
    const file = p.big ? photo.big : photo.small;
    return fileUrl(ctx.env.DB, file.id, null, ctx.now());
  },
};
