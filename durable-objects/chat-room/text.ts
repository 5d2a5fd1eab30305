import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { Entities, MAX_MESSAGE_LENGTH, type Entity } from '../../protocol/messages.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

/**
 * Checks a message text and its formatting entities. The method layer parses
 * params already; the chat checks again because it is the owner of the rule
 * and other callers (forwarding, bots) reach it too.
 */
export function validateText(text: string, entities: Entity[] | undefined): Entity[] {
  if (text.trim().length === 0) {
    throw new EdgegramError(ErrorCode.MESSAGE_EMPTY, 'Message text is empty');
  }
  // `.length` counts UTF-16 code units, the unit Telegram's limit uses.
  if (text.length > MAX_MESSAGE_LENGTH) {
    throw new EdgegramError(ErrorCode.MESSAGE_TOO_LONG, `Message text is longer than ${MAX_MESSAGE_LENGTH} characters`);
  }
  return checkEntities(text, entities);
}

/** Entities must be well-formed and lie within the text. */
export function checkEntities(text: string, entities: Entity[] | undefined): Entity[] {
  const parsed = safeParseUntrusted(Entities, entities ?? []);
  if (!parsed.success) {
    throw fail.badRequest(
      'Invalid entities',
      parsed.error.issues.map((i) => ({ path: ['entities', ...i.path].join('.'), message: i.message })),
    );
  }
  parsed.data.forEach((e, i) => {
    if (e.offset + e.length > text.length) {
      throw fail.badRequest(`Entity ${i} ends at ${e.offset + e.length}, past the text's ${text.length} characters`);
    }
    if (e.type === 'text_link' && e.url === undefined) throw fail.badRequest(`Entity ${i} (text_link) needs a url`);
    if (e.type === 'text_mention' && e.user_id === undefined) {
      throw fail.badRequest(`Entity ${i} (text_mention) needs a user_id`);
    }
  });
  return parsed.data;
}
