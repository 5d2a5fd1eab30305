import type { Entity } from '../../../protocol/messages.js';
import type { BotEntityInput, ParseMode } from '../../../protocol/bot-api/params.js';
import { parseHtml } from './html.js';
import { parseMarkdown } from './markdown.js';
import { parseMarkdownV2 } from './markdown-v2.js';
import { toEdgegramEntities, type ParsedText } from './parsed.js';

export { parseHtml, parseMarkdown, parseMarkdownV2, toEdgegramEntities };
export type { ParsedEntity, ParsedText } from './parsed.js';

/**
 * A bot's text and formatting as Edgegram stores them: parsed with
 * `parse_mode` if given, else taken with its explicit `entities` (Telegram
 * ignores entities when a parse mode is set).
 */
export function formatText(
  input: string,
  parseMode: ParseMode | undefined,
  entities: readonly BotEntityInput[] | undefined,
): { text: string; entities: Entity[] } {
  let parsed: ParsedText;
  switch (parseMode?.toLowerCase()) {
    case 'html':
      parsed = parseHtml(input);
      break;
    case 'markdownv2':
      parsed = parseMarkdownV2(input);
      break;
    case 'markdown':
      parsed = parseMarkdown(input);
      break;
    default:
      parsed = {
        text: input,
        entities: (entities ?? []).map((e) => ({
          type: e.type,
          offset: e.offset,
          length: e.length,
          ...(e.url !== undefined ? { url: e.url } : {}),
          ...(e.language !== undefined ? { language: e.language } : {}),
          ...(e.user ? { user_id: e.user.id } : {}),
        })),
      };
  }
  return { text: parsed.text, entities: toEdgegramEntities(parsed.entities.filter((e) => e.offset + e.length <= parsed.text.length)) };
}
