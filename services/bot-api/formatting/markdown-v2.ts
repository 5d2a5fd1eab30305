import { byteOffset, parseError, type ParsedEntity, type ParsedText } from './parsed.js';

/**
 * parse_mode "MarkdownV2", as Telegram reads it: *bold*, _italic_,
 * __underline__, ~strikethrough~, ||spoiler||, [text](url), ![emoji](tg://emoji?id=…),
 * `code`, ```language\npre```, and > blockquotes at line starts. Entities nest.
 * Outside entities the characters _*[]()~`>#+-=|{}.! must be escaped with
 * '\'; inside code and pre only ` and \; inside a link's (url) only ) and \.
 */

const RESERVED = new Set('_*[]()~`>#+-=|{}.!'.split(''));

type Open = { type: string; offset: number; at: number };

export function parseMarkdownV2(input: string): ParsedText {
  let text = '';
  const entities: ParsedEntity[] = [];
  const stack: Open[] = [];
  let quote: Open | undefined;
  let i = 0;

  const toggle = (type: string, at: number, width: number) => {
    const index = stack.map((o) => o.type).lastIndexOf(type);
    if (index >= 0) {
      const [open] = stack.splice(index, 1);
      push(entities, open!.type, open!.offset, text.length);
    } else {
      stack.push({ type, offset: text.length, at });
    }
    i += width;
  };

  while (i < input.length) {
    const ch = input[i]!;
    const atLineStart = i === 0 || input[i - 1] === '\n';
    if (atLineStart && quote && ch !== '>') {
      push(entities, quote.type, quote.offset, trimNewline(text));
      quote = undefined;
    }
    if (ch === '\\') {
      const next = input.charCodeAt(i + 1);
      if (next >= 1 && next <= 126) {
        text += input[i + 1];
        i += 2;
      } else {
        text += ch;
        i++;
      }
      continue;
    }
    if (ch === '>' && atLineStart) {
      quote ??= { type: 'blockquote', offset: text.length, at: i };
      i++;
      continue;
    }
    if (ch === '`') {
      const pre = input.startsWith('```', i);
      const start = text.length;
      const close = pre ? '```' : '`';
      let j = i + close.length;
      let language: string | undefined;
      if (pre) {
        const newline = input.indexOf('\n', j);
        const firstLine = newline < 0 ? '' : input.slice(j, newline);
        if (newline >= 0 && /^[^\s`\\]*$/.test(firstLine)) {
          if (firstLine) language = firstLine;
          j = newline + 1;
        }
      }
      let body = '';
      for (;;) {
        if (j >= input.length) throw unclosed(input, i);
        if (input[j] === '\\' && (input[j + 1] === '`' || input[j + 1] === '\\')) {
          body += input[j + 1];
          j += 2;
          continue;
        }
        if (input.startsWith(close, j)) break;
        body += input[j++];
      }
      text += body;
      push(entities, pre ? 'pre' : 'code', start, text.length, language);
      i = j + close.length;
      continue;
    }
    if (ch === '*') {
      toggle('bold', i, 1);
      continue;
    }
    if (ch === '_') {
      if (input[i + 1] === '_') toggle('underline', i, 2);
      else toggle('italic', i, 1);
      continue;
    }
    if (ch === '~') {
      toggle('strikethrough', i, 1);
      continue;
    }
    if (ch === '|' && input[i + 1] === '|') {
      // "||" right after a quoted line ends an expandable blockquote.
      if (quote && (input[i + 2] === '\n' || i + 2 === input.length) && !stack.some((o) => o.type === 'spoiler')) {
        quote.type = 'expandable_blockquote';
        i += 2;
        continue;
      }
      toggle('spoiler', i, 2);
      continue;
    }
    if (ch === '[' || (ch === '!' && input[i + 1] === '[')) {
      const width = ch === '[' ? 1 : 2;
      stack.push({ type: ch === '[' ? 'text_link' : 'custom_emoji', offset: text.length, at: i });
      i += width;
      continue;
    }
    if (ch === ']') {
      const index = stack.map((o) => o.type).findLastIndex((t) => t === 'text_link' || t === 'custom_emoji');
      if (index < 0 || input[i + 1] !== '(') throw reserved(ch);
      const [open] = stack.splice(index, 1);
      let j = i + 2;
      let url = '';
      for (;;) {
        if (j >= input.length) throw unclosed(input, open!.at);
        if (input[j] === '\\' && (input[j + 1] === ')' || input[j + 1] === '\\')) {
          url += input[j + 1];
          j += 2;
          continue;
        }
        if (input[j] === ')') break;
        url += input[j++];
      }
      push(entities, open!.type, open!.offset, text.length, undefined, url);
      i = j + 1;
      continue;
    }
    if (RESERVED.has(ch)) throw reserved(ch);
    text += ch;
    i++;
  }
  if (quote) push(entities, quote.type, quote.offset, trimNewline(text));
  const first = stack[0];
  if (first) throw unclosed(input, first.at);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset || b.length - a.length) };
}

function push(entities: ParsedEntity[], type: string, start: number, end: number, language?: string, url?: string): void {
  if (end <= start) return;
  const entity: ParsedEntity = { type, offset: start, length: end - start };
  if (language !== undefined) entity.language = language;
  if (url !== undefined) entity.url = url;
  entities.push(entity);
}

/** A quote ends before the newline that ends its last line. */
function trimNewline(text: string): number {
  return text.endsWith('\n') ? text.length - 1 : text.length;
}

function reserved(ch: string) {
  return parseError(`Character '${ch}' is reserved and must be escaped with the preceding '\\'`);
}

function unclosed(input: string, at: number) {
  return parseError(`Can't find end of the entity starting at byte offset ${byteOffset(input, at)}`);
}
