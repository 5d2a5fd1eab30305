import { CHAT_PHOTO_REF, type FileRefChange } from '../../d1/queries/files.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { MAX_CAPTION_LENGTH, MessageMedia, type ChatPhoto } from '../../protocol/media.js';
import type { Entity } from '../../protocol/messages.js';
import { checkEntities, validateText } from './text.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

/**
 * Media in the chat. The method layer already checked that the sender may use
 * each file and that the kind fits the sniffed type; the chat checks the
 * shape again (it owns the rule, and forwards reach it too) and records which
 * files its messages show, through the outbox, as D1 file refs.
 */

export function checkMedia(media: unknown): MessageMedia {
  const parsed = safeParseUntrusted(MessageMedia, media);
  if (!parsed.success) throw fail.badRequest('Invalid media');
  return parsed.data;
}

/** A caption may be empty; it is shorter than a text message. Without media the text rules apply. */
export function checkText(text: string, entities: Entity[] | undefined, hasMedia: boolean): Entity[] {
  if (!hasMedia) return validateText(text, entities);
  if (text.length > MAX_CAPTION_LENGTH) {
    throw new EdgegramError(ErrorCode.MESSAGE_TOO_LONG, `A caption is at most ${MAX_CAPTION_LENGTH} characters`);
  }
  return checkEntities(text, entities);
}

/**
 * The refs that move from one chat photo's files to the next one's (either
 * may be none), under CHAT_PHOTO_REF. A file in both keeps its ref
 * untouched; a released one is touched and, with no other ref, handed to
 * its reaper by the outbox (as a deleted message's).
 */
export function chatPhotoRefChanges(chatId: number, before: ChatPhoto | null, after: ChatPhoto | null): FileRefChange[] {
  const files = (p: ChatPhoto | null) => new Set(p ? [p.big.id, p.small.id] : []);
  const old = files(before);
  const next = files(after);
  const change = (op: FileRefChange['op']) => (fileId: string): FileRefChange => ({ op, fileId, chatId, messageId: CHAT_PHOTO_REF });
  return [...[...old].filter((id) => !next.has(id)).map(change('unref')), ...[...next].filter((id) => !old.has(id)).map(change('ref'))];
}

/** The refs a message's media holds: its file and its thumbnail. */
export function fileRefChanges(
  op: FileRefChange['op'],
  chatId: number,
  messageId: number,
  media: MessageMedia | null,
): FileRefChange[] {
  if (!media) return [];
  const ids = new Set([media.file.id, ...(media.thumb ? [media.thumb.id] : [])]);
  return [...ids].map((fileId) => ({ op, fileId, chatId, messageId }));
}
