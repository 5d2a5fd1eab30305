import { database } from '../../../d1/db.js';
import { chatRoom } from '../../../durable-objects/stubs.js';
import { isUploadedFile, UPLOADED } from '../../../protocol/bot-api/params.js';
import { claimChatPhoto, keepChatPhoto } from '../../media/chat-photos.js';
import { resolveChat } from '../chats.js';
import type { BotHandlers } from '../dispatch.js';
import { asBotError, botError, unwrapBot } from '../errors.js';

const NO_RIGHTS = { FORBIDDEN: 'Bad Request: not enough rights to change chat photo' };

/**
 * Telegram's setChatPhoto and deleteChatPhoto. A new photo must be uploaded
 * with the request (multipart): Telegram takes no file_id here, and answers
 * one as it answers no photo at all.
 */
export const chatPhotoMethods: BotHandlers<'setChatPhoto' | 'deleteChatPhoto'> = {
  async setChatPhoto(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    if (target.kind !== 'group') throw botError.badRequest("can't change private chat photo");
    if (!isUploadedFile(p.photo)) throw botError.badRequest('there is no photo in the request');
    const db = database(ctx.env.DB);
    const photo = await claimChatPhoto(db, ctx.bot.id, { file_id: p.photo[UPLOADED].id }, ctx.now()).catch((err: unknown) => {
      // Not an image, or too large: Telegram's words for a photo it cannot use.
      throw asBotError(err, { MEDIA_INVALID: 'Bad Request: IMAGE_PROCESS_FAILED' });
    });
    unwrapBot(await chatRoom(ctx.env, target.chatId).setPhoto(ctx.bot.id, photo), NO_RIGHTS);
    await keepChatPhoto(db, ctx.bot.id, photo, ctx.now());
    return true;
  },

  async deleteChatPhoto(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'read');
    if (target.kind !== 'group') throw botError.badRequest("can't change private chat photo");
    const chat = unwrapBot(await chatRoom(ctx.env, target.chatId).deletePhoto(ctx.bot.id), NO_RIGHTS);
    // Telegram answers a chat without a photo with this error, not with true (checked after the right, as there).
    if (!target.chat.photo && !chat.photo) throw botError.badRequest('CHAT_NOT_MODIFIED');
    return true;
  },
};
