import type { User } from '../../../protocol/common.js';
import type { Entity } from '../../../protocol/messages.js';
import type { BotApiMessageEntity } from '../../../protocol/bot-api/types.js';
import { toBotUser } from './users.js';

/**
 * Entities as a bot sees them: the message's own formatting plus what
 * Telegram detects in every text (bot_command, mention, hashtag, url, email)
 * outside code, pre and links. Frameworks route commands by the bot_command
 * entity at offset 0, so detection is not optional.
 */
export function toBotEntities(text: string, entities: readonly Entity[], users: ReadonlyMap<number, User>): BotApiMessageEntity[] {
  const own: BotApiMessageEntity[] = entities.map((e) => {
    const out: BotApiMessageEntity = { type: e.type, offset: e.offset, length: e.length };
    if (e.url !== undefined) out.url = e.url;
    if (e.language !== undefined) out.language = e.language;
    if (e.user_id !== undefined) {
      const user = users.get(e.user_id);
      out.user = user ? toBotUser(user) : { id: e.user_id, is_bot: false, first_name: 'Unknown' };
    }
    return out;
  });
  const opaque = own.filter((e) => ['code', 'pre', 'text_link', 'url', 'mention', 'text_mention'].includes(e.type));
  const detected = detectEntities(text).filter(
    (d) => !opaque.some((o) => d.offset < o.offset + o.length && o.offset < d.offset + d.length),
  );
  return [...own, ...detected].sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const PATTERNS: [BotApiMessageEntity['type'], RegExp][] = [
  ['bot_command', /(?<![\p{L}\p{N}_/])\/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\p{L}\p{N}_@/])/gu],
  ['mention', /(?<![\p{L}\p{N}_@])@[A-Za-z][A-Za-z0-9_]{3,31}(?![\p{L}\p{N}_])/gu],
  ['hashtag', /(?<![\p{L}\p{N}_#])#[\p{L}\p{N}_]*[\p{L}_][\p{L}\p{N}_]*/gu],
  ['email', /(?<![\p{L}\p{N}_.@-])[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}(?![\p{L}\p{N}_])/gu],
  ['url', /(?<![\p{L}\p{N}_@./])(?:https?:\/\/)[^\s<>"]+[^\s<>".,;:!?)\]'}]/gu],
];

/** Telegram-style auto-detected entities of a plain text, non-overlapping, by offset. */
export function detectEntities(text: string): BotApiMessageEntity[] {
  const found: BotApiMessageEntity[] = [];
  for (const [type, re] of PATTERNS) {
    for (const m of text.matchAll(re)) {
      const entity = { type, offset: m.index, length: m[0].length };
      if (!found.some((f) => entity.offset < f.offset + f.length && f.offset < entity.offset + entity.length)) {
        found.push(entity);
      }
    }
  }
  return found.sort((a, b) => a.offset - b.offset);
}
