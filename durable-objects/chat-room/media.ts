import type { FileRefChange } from '../../d1/queries/files.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { MAX_CAPTION_LENGTH, MessageMedia } from '../../protocol/media.js';
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
