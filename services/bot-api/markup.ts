import { ReplyMarkup, type InlineKeyboardMarkup } from '../../protocol/keyboards.js';
import { botError } from './errors.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

/**
 * A bot's reply_markup, read the way Telegram reads it: reply-keyboard
 * buttons may be plain strings; fields Edgegram does not act on (hide,
 * request_contact, pay, …) are dropped; an inline button must carry
 * callback_data or a url. Anything else is Telegram's parse error.
 */
export function readReplyMarkup(raw: Record<string, unknown> | undefined): ReplyMarkup | undefined {
  if (raw === undefined) return undefined;
  const normalized = normalize(raw);
  const parsed = safeParseUntrusted(ReplyMarkup, normalized);
  if (!parsed.success) {
    if ('inline_keyboard' in raw) throw inlineButtonError(normalized);
    throw botError.badRequest("can't parse reply keyboard markup JSON object");
  }
  return parsed.data;
}

export function readInlineMarkup(raw: Record<string, unknown> | undefined): InlineKeyboardMarkup | undefined {
  const markup = readReplyMarkup(raw);
  if (markup === undefined) return undefined;
  if (!('inline_keyboard' in markup)) throw botError.badRequest('inline keyboard expected');
  return markup;
}

function normalize(raw: Record<string, unknown>): unknown {
  if (Array.isArray(raw.inline_keyboard)) {
    return {
      inline_keyboard: raw.inline_keyboard.map((row: unknown) =>
        Array.isArray(row)
          ? row.map((b: unknown) => {
              if (typeof b !== 'object' || b === null) return b;
              const { text, callback_data, url } = b as Record<string, unknown>;
              return { text, ...(callback_data !== undefined ? { callback_data } : {}), ...(url !== undefined ? { url } : {}) };
            })
          : row,
      ),
    };
  }
  if (Array.isArray(raw.keyboard)) {
    const keep = pick(raw, ['is_persistent', 'resize_keyboard', 'one_time_keyboard', 'input_field_placeholder', 'selective']);
    return {
      ...keep,
      keyboard: raw.keyboard.map((row: unknown) =>
        Array.isArray(row)
          ? row.map((b: unknown) =>
              typeof b === 'string' ? { text: b } : typeof b === 'object' && b !== null ? { text: (b as { text?: unknown }).text } : b,
            )
          : row,
      ),
    };
  }
  if (raw.remove_keyboard !== undefined) return pick(raw, ['remove_keyboard', 'selective']);
  if (raw.force_reply !== undefined) return pick(raw, ['force_reply', 'input_field_placeholder', 'selective']);
  return raw;
}

function pick(raw: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => raw[k] !== undefined).map((k) => [k, raw[k]]));
}

function inlineButtonError(normalized: unknown) {
  const rows = (normalized as { inline_keyboard?: unknown[] }).inline_keyboard ?? [];
  for (const row of rows) {
    if (!Array.isArray(row)) continue;
    for (const b of row as Record<string, unknown>[]) {
      if (b && b.callback_data === undefined && b.url === undefined) {
        return botError.badRequest("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard");
      }
      if (typeof b?.callback_data === 'string' && new TextEncoder().encode(b.callback_data).byteLength > 64) {
        return botError.badRequest('BUTTON_DATA_INVALID');
      }
      if (b?.url !== undefined) return botError.badRequest('BUTTON_URL_INVALID');
    }
  }
  return botError.badRequest("can't parse reply keyboard markup JSON object");
}
