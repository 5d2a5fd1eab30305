import { byteOffset, parseError, type ParsedEntity, type ParsedText } from './parsed.js';

/**
 * parse_mode "Markdown" (legacy), as Telegram reads it: *bold*, _italic_,
 * `code`, ```pre``` and [text](url), without nesting. Outside entities a '\'
 * escapes _ * ` and [.
 */
export function parseMarkdown(input: string): ParsedText {
  let text = '';
  const entities: ParsedEntity[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '\\' && '_*`['.includes(input[i + 1] ?? '')) {
      text += input[i + 1];
      i += 2;
      continue;
    }
    if (ch === '[') {
      const close = input.indexOf('](', i + 1);
      const end = close < 0 ? -1 : input.indexOf(')', close + 2);
      if (close < 0 || end < 0) {
        text += ch;
        i++;
        continue;
      }
      const start = text.length;
      text += input.slice(i + 1, close);
      push(entities, 'text_link', start, text.length, { url: input.slice(close + 2, end) });
      i = end + 1;
      continue;
    }
    const marker = input.startsWith('```', i) ? '```' : '*_`'.includes(ch) ? ch : null;
    if (!marker) {
      text += ch;
      i++;
      continue;
    }
    const end = input.indexOf(marker, i + marker.length);
    if (end < 0) throw parseError(`Can't find end of the entity starting at byte offset ${byteOffset(input, i)}`);
    let body = input.slice(i + marker.length, end);
    let language: string | undefined;
    if (marker === '```') {
      const newline = body.indexOf('\n');
      if (newline >= 0 && /^[^\s`]+$/.test(body.slice(0, newline))) {
        language = body.slice(0, newline);
        body = body.slice(newline + 1);
      }
    }
    const start = text.length;
    text += body;
    const type = marker === '```' ? 'pre' : marker === '`' ? 'code' : marker === '*' ? 'bold' : 'italic';
    push(entities, type, start, text.length, language ? { language } : {});
    i = end + marker.length;
  }
  return { text, entities };
}

function push(entities: ParsedEntity[], type: string, start: number, end: number, extra: Partial<ParsedEntity>): void {
  if (end > start) entities.push({ type, offset: start, length: end - start, ...extra });
}
