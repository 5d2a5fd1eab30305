import { byteOffset, parseError, type ParsedEntity, type ParsedText } from './parsed.js';

/**
 * parse_mode "HTML", as Telegram reads it: the tags b/strong, i/em, u/ins,
 * s/strike/del, tg-spoiler and span class="tg-spoiler", a href, code, pre
 * (with a nested code class="language-…"), blockquote [expandable] and
 * tg-emoji; the named entities &lt; &gt; &amp; &quot; and all numeric ones.
 * Anything else is an error with Telegram's wording and byte offset.
 */

type Open = { tag: string; type: string; offset: number; url?: string; language?: string; at: number };

const SIMPLE: Record<string, string> = {
  b: 'bold',
  strong: 'bold',
  i: 'italic',
  em: 'italic',
  u: 'underline',
  ins: 'underline',
  s: 'strikethrough',
  strike: 'strikethrough',
  del: 'strikethrough',
  'tg-spoiler': 'spoiler',
  code: 'code',
  pre: 'pre',
};

const NAMED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"' };

export function parseHtml(input: string): ParsedText {
  let text = '';
  const entities: ParsedEntity[] = [];
  const stack: Open[] = [];
  let i = 0;
  while (i < input.length) {
    const ch = input[i]!;
    if (ch === '&') {
      const [decoded, next] = decodeEntity(input, i);
      text += decoded;
      i = next;
      continue;
    }
    if (ch !== '<') {
      text += ch;
      i++;
      continue;
    }
    const end = input.indexOf('>', i);
    if (end < 0) throw parseError(`Unclosed start tag at byte offset ${byteOffset(input, i)}`);
    const raw = input.slice(i + 1, end);
    if (raw.startsWith('/')) {
      const name = raw.slice(1).trim().toLowerCase();
      const open = stack.pop();
      if (!open) throw parseError(`Unexpected end tag at byte offset ${byteOffset(input, i)}`);
      if (open.tag !== name) {
        throw parseError(`Unmatched end tag at byte offset ${byteOffset(input, i)}, expected "</${open.tag}>", found "</${name}>"`);
      }
      close(open, stack, entities, text.length);
    } else {
      stack.push(openTag(input, raw, i, text.length, stack));
    }
    i = end + 1;
  }
  const unclosed = stack[0];
  if (unclosed) throw parseError(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  return { text, entities: entities.sort((a, b) => a.offset - b.offset || b.length - a.length) };
}

function openTag(input: string, raw: string, at: number, offset: number, stack: Open[]): Open {
  const match = /^([A-Za-z][A-Za-z0-9-]*)([\s\S]*)$/.exec(raw.trim());
  if (!match) throw parseError(`Empty tag name at byte offset ${byteOffset(input, at)}`);
  const tag = match[1]!.toLowerCase();
  const attrs = parseAttributes(match[2]!);
  const unsupported = () => parseError(`Unsupported start tag "${tag}" at byte offset ${byteOffset(input, at)}`);
  if (tag === 'a') {
    return { tag, type: 'text_link', offset, at, url: attrs.get('href') ?? '' };
  }
  if (tag === 'span') {
    if (attrs.get('class') !== 'tg-spoiler') throw unsupported();
    return { tag, type: 'spoiler', offset, at };
  }
  if (tag === 'blockquote') {
    return { tag, type: attrs.has('expandable') ? 'expandable_blockquote' : 'blockquote', offset, at };
  }
  if (tag === 'tg-emoji') return { tag, type: 'custom_emoji', offset, at };
  const type = SIMPLE[tag];
  if (!type) throw unsupported();
  if (tag === 'code') {
    const language = /^language-(.+)$/.exec(attrs.get('class') ?? '')?.[1];
    const parent = stack[stack.length - 1];
    return { tag, type, offset, at, ...(parent?.tag === 'pre' && language ? { language } : {}) };
  }
  return { tag, type, offset, at };
}

function close(open: Open, stack: Open[], entities: ParsedEntity[], end: number): void {
  const parent = stack[stack.length - 1];
  // <pre><code class="language-x">: one pre entity with the language, as Telegram makes.
  if (open.tag === 'code' && parent?.tag === 'pre') {
    if (open.language) parent.language = open.language;
    return;
  }
  if (end <= open.offset) return;
  const entity: ParsedEntity = { type: open.type, offset: open.offset, length: end - open.offset };
  if (open.url !== undefined) entity.url = open.url;
  if (open.language !== undefined) entity.language = open.language;
  entities.push(entity);
}

function parseAttributes(source: string): Map<string, string> {
  const attrs = new Map<string, string>();
  const re = /([A-Za-z_:][-A-Za-z0-9_:.]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;
  for (const m of source.matchAll(re)) {
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    attrs.set(m[1]!.toLowerCase(), decodeAll(value));
  }
  return attrs;
}

/** One `&…;` at `i`: decoded, or the bare '&' when it is not an entity Telegram knows. */
function decodeEntity(input: string, i: number): [string, number] {
  const m = /^&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]{2,8});/.exec(input.slice(i, i + 12));
  if (!m) return ['&', i + 1];
  const name = m[1]!;
  let decoded: string | undefined;
  if (name.startsWith('#x')) decoded = codePoint(parseInt(name.slice(2), 16));
  else if (name.startsWith('#')) decoded = codePoint(parseInt(name.slice(1), 10));
  else decoded = NAMED[name.toLowerCase()];
  return decoded === undefined ? ['&', i + 1] : [decoded, i + m[0].length];
}

function decodeAll(value: string): string {
  let out = '';
  for (let i = 0; i < value.length; ) {
    if (value[i] === '&') {
      const [decoded, next] = decodeEntity(value, i);
      out += decoded;
      i = next;
    } else {
      out += value[i++];
    }
  }
  return out;
}

function codePoint(n: number): string | undefined {
  return Number.isInteger(n) && n > 0 && n <= 0x10ffff && (n < 0xd800 || n > 0xdfff) ? String.fromCodePoint(n) : undefined;
}
