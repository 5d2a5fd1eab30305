import type { Db } from '../../d1/db.js';
import { claimFileForSend } from '../../d1/queries/files.js';
import type { FileRow } from '../../d1/queries/uploads.js';
import type { PhotoInput } from '../../durable-objects/chat-room/photo.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { MAX_CHAT_PHOTO_SIZE, MAX_THUMB_SIZE, type InputChatPhoto, type MediaFile } from '../../protocol/media.js';
import { kindFits } from './access.js';

/**
 * The files of a new chat picture, checked as its setter: each is a file the
 * setter may use (as for a send: its own upload, or one shown in a chat it
 * is in) and an image by its sniffed type, the big one at most
 * MAX_CHAT_PHOTO_SIZE, the preview at most MAX_THUMB_SIZE.
 *
 * The check only touches the files (which keeps them from being freed while
 * the chat decides); the setter's upload hold is ended by `keepChatPhoto`
 * once the chat took the picture, so a refused change (no right, a private
 * chat) leaves the upload exactly as it was.
 */
export async function claimChatPhoto(db: Db, setterId: number, input: InputChatPhoto, now: number): Promise<PhotoInput> {
  const big = await usableImage(db, setterId, input.file_id, MAX_CHAT_PHOTO_SIZE, now);
  const small = input.thumb_file_id === undefined ? big : await usableImage(db, setterId, input.thumb_file_id, MAX_THUMB_SIZE, now);
  return { big: mediaFile(big), small: mediaFile(small), width: input.width ?? null, height: input.height ?? null };
}

/** After the chat took the picture: the setter's upload holds end, so from now on the chat's ref alone keeps the files. */
export async function keepChatPhoto(db: Db, setterId: number, photo: PhotoInput, now: number): Promise<void> {
  for (const id of new Set([photo.big.id, photo.small.id])) await claimFileForSend(db, id, setterId, now, { endsHold: true });
}

async function usableImage(db: Db, setterId: number, fileId: string, maxSize: number, now: number): Promise<FileRow> {
  const file = await claimFileForSend(db, fileId, setterId, now);
  if (!file) throw new EdgegramError(ErrorCode.FILE_NOT_FOUND, 'File not found');
  if (!kindFits('photo', file.mime)) {
    throw new EdgegramError(ErrorCode.MEDIA_INVALID, `A chat photo is a JPEG, PNG, WebP, AVIF or HEIC image, not ${file.mime}`);
  }
  if (file.size > maxSize) throw new EdgegramError(ErrorCode.MEDIA_INVALID, `This image is larger than ${maxSize} bytes`);
  return file;
}

function mediaFile(file: FileRow): MediaFile {
  return { id: file.id, size: file.size, mime_type: file.mime, file_name: null };
}
