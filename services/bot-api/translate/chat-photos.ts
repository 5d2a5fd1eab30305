import type { BotApiChatPhoto, BotApiPhotoSize } from '../../../protocol/bot-api/types.js';
import type { ChatPhoto, MediaFile } from '../../../protocol/media.js';

/**
 * A chat's picture in the Bot API. Its file ids are Edgegram file ids, as
 * for message media: getFile takes them from a bot in the chat (the chat's
 * ref on the files lets its members use them) for as long as the picture is
 * the chat's. The unique id is the file id's first half, as for media.
 */
export function toBotChatPhoto(photo: ChatPhoto): BotApiChatPhoto {
  return {
    small_file_id: photo.small.id,
    small_file_unique_id: uniqueId(photo.small),
    big_file_id: photo.big.id,
    big_file_unique_id: uniqueId(photo.big),
  };
}

/** Telegram's new_chat_photo: the sizes, smallest first (one when the setter sent no preview). The preview's size is not measured: 0. */
export function chatPhotoSizes(photo: ChatPhoto): BotApiPhotoSize[] {
  const big: BotApiPhotoSize = { ...fileOf(photo.big), width: photo.width ?? 0, height: photo.height ?? 0 };
  return photo.small.id === photo.big.id ? [big] : [{ ...fileOf(photo.small), width: 0, height: 0 }, big];
}

function fileOf(file: MediaFile) {
  return { file_id: file.id, file_unique_id: uniqueId(file), file_size: file.size };
}

function uniqueId(file: MediaFile): string {
  return file.id.slice(0, 16);
}
