import { Entity, type EntityType } from '../../../protocol/messages.js';
import type { BotApiMessageEntity } from '../../../protocol/bot-api/types.js';
import { BotApiError } from '../errors.js';
import { safeParseUntrusted } from '../../../protocol/safe-parse.js';

/** A formatting entity as a parse mode (or a bot's `entities`) describes it, in Bot API terms. */
export type ParsedEntity = {
  type: BotApiMessageEntity['type'] | (string & {});
  /** UTF-16 code units into the parsed text, as Telegram counts. */
  offset: number;
  length: number;
  url?: string;
  language?: string;
  user_id?: number;
};

export type ParsedText = { text: string; entities: ParsedEntity[] };

/** Telegram's error for markup that does not parse. */
export function parseError(reason: string): BotApiError {
  return new BotApiError(400, `Bad Request: can't parse entities: ${reason}`);
}

/** Telegram reports positions in parse errors as UTF-8 byte offsets into the input. */
export function byteOffset(input: string, index: number): number {
  return new TextEncoder().encode(input.slice(0, index)).byteLength;
}

const KEPT: readonly EntityType[] = ['bold', 'italic', 'underline', 'strikethrough', 'code', 'pre', 'url', 'mention'];

/**
 * The Edgegram entities for Bot API ones. Edgegram stores bold, italic,
 * underline, strikethrough, code, pre, url, text_link, mention and
 * text_mention; the rest (spoiler, blockquote, custom_emoji) are dropped,
 * keeping their text, and detected kinds (bot_command, hashtag, …) are
 * detected again when a message goes out to a bot. `tg://user?id=` links
 * become text mentions; links Edgegram cannot store (other schemes) are dropped.
 */
export function toEdgegramEntities(parsed: readonly ParsedEntity[]): Entity[] {
  const out: Entity[] = [];
  for (const e of parsed) {
    if (e.length <= 0) continue;
    const base = { offset: e.offset, length: e.length };
    let candidate: unknown;
    if ((KEPT as readonly string[]).includes(e.type)) {
      candidate = { ...base, type: e.type, ...(e.type === 'pre' && e.language ? { language: e.language } : {}) };
    } else if (e.type === 'text_link' && e.url !== undefined) {
      const mentioned = /^tg:\/\/user\?id=(\d{1,16})$/.exec(e.url);
      candidate = mentioned
        ? { ...base, type: 'text_mention', user_id: Number(mentioned[1]) }
        : { ...base, type: 'text_link', url: e.url };
    } else if (e.type === 'text_mention' && e.user_id !== undefined) {
      candidate = { ...base, type: 'text_mention', user_id: e.user_id };
    }
    const checked = safeParseUntrusted(Entity, candidate);
    if (checked.success) out.push(checked.data);
  }
  return out.slice(0, 100);
}
