import type { Db } from '../../d1/db.js';
import { claimFileForSend } from '../../d1/queries/files.js';
import type { FileRow } from '../../d1/queries/uploads.js';
import { EdgegramError, ErrorCode } from '../../protocol/errors.js';
import { MAX_THUMB_SIZE, type InputMedia, type MediaKind, type MessageMedia } from '../../protocol/media.js';

/**
 * Which files a sender may put in a message, and whether the media fits
 * them. A file is usable by whoever uploaded its bytes or can see a message
 * showing it (see claimFileForSend); there is no way to name a file by its
 * content hash, so knowing a hash gets nobody a file.
 */

const PHOTO_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp', 'image/avif', 'image/heic']);
const THUMB_TYPES = new Set(['image/jpeg', 'image/png', 'image/webp']);
const ANIMATION_TYPES = new Set(['image/gif', 'video/mp4', 'video/webm']);

/** Whether a sniffed type can be shown as this kind. Documents take anything. */
export function kindFits(kind: MediaKind, mime: string): boolean {
  switch (kind) {
    case 'photo':
      return PHOTO_TYPES.has(mime);
    case 'video':
      return mime.startsWith('video/');
    case 'animation':
      return ANIMATION_TYPES.has(mime);
    case 'voice':
    case 'audio':
      return mime.startsWith('audio/');
    case 'document':
      return true;
    default:
      return kind satisfies never;
  }
}

const USES_DIMENSIONS: ReadonlySet<MediaKind> = new Set(['photo', 'video', 'animation']);
const USES_DURATION: ReadonlySet<MediaKind> = new Set(['video', 'voice', 'audio', 'animation']);

/** Telegram's album rule: photos and videos mix; documents and audio only with their own kind. */
export function albumKindsFit(kinds: readonly MediaKind[]): boolean {
  const visual = (k: MediaKind) => k === 'photo' || k === 'video';
  if (kinds.every(visual)) return true;
  return kinds.every((k) => k === 'document') || kinds.every((k) => k === 'audio');
}

export async function resolveMedia(db: Db, callerId: number, input: InputMedia, now: number): Promise<MessageMedia> {
  const file = await usableFile(db, input.file_id, callerId, now);
  if (!kindFits(input.kind, file.mime)) {
    throw mediaInvalid(`A ${input.kind} cannot be a file of type ${file.mime}`);
  }
  if (!USES_DIMENSIONS.has(input.kind) && (input.width !== undefined || input.height !== undefined)) {
    throw mediaInvalid(`A ${input.kind} has no width or height`);
  }
  if (!USES_DURATION.has(input.kind) && input.duration !== undefined) throw mediaInvalid(`A ${input.kind} has no duration`);
  let thumb: MessageMedia['thumb'] = null;
  if (input.thumb_file_id !== undefined) {
    const t = await usableFile(db, input.thumb_file_id, callerId, now);
    if (!THUMB_TYPES.has(t.mime)) throw mediaInvalid('A thumbnail is a JPEG, PNG or WebP image');
    if (t.size > MAX_THUMB_SIZE) throw mediaInvalid(`A thumbnail is at most ${MAX_THUMB_SIZE} bytes`);
    thumb = { id: t.id, size: t.size, mime_type: t.mime, file_name: null };
  }
  return {
    kind: input.kind,
    file: { id: file.id, size: file.size, mime_type: file.mime, file_name: input.file_name ?? null },
    thumb,
    width: input.width ?? null,
    height: input.height ?? null,
    duration: input.duration ?? null,
    grouped_id: null,
  };
}

async function usableFile(db: Db, fileId: string, callerId: number, now: number): Promise<FileRow> {
  // A send: the caller's own upload hold ends here (see freeing.ts).
  const file = await claimFileForSend(db, fileId, callerId, now, { endsHold: true });
  if (!file) throw new EdgegramError(ErrorCode.FILE_NOT_FOUND, 'File not found');
  return file;
}

function mediaInvalid(message: string) {
  return new EdgegramError(ErrorCode.MEDIA_INVALID, message);
}
