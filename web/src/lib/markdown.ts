import type { Entity, EntityType } from '../../../protocol/messages.js';

/**
 * The composer's formatting: a few markdown-like markers, turned into the
 * protocol's entities before sending (the server stores text + entities, as
 * Telegram does), and back into markers for editing.
 *
 *   **bold**  __italic__ or _italic_  ++underline++  ~~strike~~
 *   `code`  ```lang\npre```  [label](https://url)
 *
 * URLs and @mentions need no markers: they are detected in the plain text.
 * Offsets count UTF-16 code units, which is what JS string indices are.
 */

export interface FormattedText {
  text: string;
  entities: Entity[];
}

type Wrapper = { marker: string; type: EntityType };

/** Paired markers, longest first so `**` wins over `*`-like prefixes. */
const WRAPPERS: readonly Wrapper[] = [
  { marker: '**', type: 'bold' },
  { marker: '__', type: 'italic' },
  { marker: '++', type: 'underline' },
  { marker: '~~', type: 'strikethrough' },
  { marker: '_', type: 'italic' },
];

const LANGUAGE = /^[A-Za-z0-9+#.-]{1,32}$/;
const LINK = /^\[([^\]\n]+)\]\((https?:\/\/[^\s)]+)\)/;
const WORD = /[\p{L}\p{N}_]/u;

export function parseMarkdown(input: string): FormattedText {
  const entities: Entity[] = [];
  const text = parseSpan(input, 0, entities);
  const covered = entities.filter((e) => e.type === 'code' || e.type === 'pre' || e.type === 'text_link');
  entities.push(...detectLinksAndMentions(text, covered));
  return { text, entities: sortEntities(entities) };
}

/** Parses `input`, whose text will start at `base` in the output; appends entities; returns the plain text. */
function parseSpan(input: string, base: number, entities: Entity[]): string {
  let out = '';
  let i = 0;
  while (i < input.length) {
    const rest = input.slice(i);
    if (rest.startsWith('```')) {
      const end = input.indexOf('```', i + 3);
      if (end > i + 3) {
        let body = input.slice(i + 3, end);
        let language: string | undefined;
        const newline = body.indexOf('\n');
        if (newline > 0 && LANGUAGE.test(body.slice(0, newline))) {
          language = body.slice(0, newline);
          body = body.slice(newline + 1);
        } else if (newline === 0) {
          body = body.slice(1);
        }
        if (body.endsWith('\n')) body = body.slice(0, -1);
        if (body.length > 0) {
          entities.push({ type: 'pre', offset: base + out.length, length: body.length, ...(language && { language }) });
          out += body;
          i = end + 3;
          continue;
        }
      }
    }
    if (rest.startsWith('`')) {
      const end = input.indexOf('`', i + 1);
      if (end > i + 1 && !input.slice(i + 1, end).includes('\n')) {
        const body = input.slice(i + 1, end);
        entities.push({ type: 'code', offset: base + out.length, length: body.length });
        out += body;
        i = end + 1;
        continue;
      }
    }
    const link = LINK.exec(rest);
    if (link) {
      const label = parseSpan(link[1]!, base + out.length, entities);
      if (label.length > 0) {
        entities.push({ type: 'text_link', offset: base + out.length, length: label.length, url: link[2]! });
      }
      out += label;
      i += link[0].length;
      continue;
    }
    const wrapped = matchWrapper(input, i);
    if (wrapped) {
      const inner = parseSpan(input.slice(i + wrapped.marker.length, wrapped.close), base + out.length, entities);
      if (inner.trim().length > 0) entities.push({ type: wrapped.type, offset: base + out.length, length: inner.length });
      out += inner;
      i = wrapped.close + wrapped.marker.length;
      continue;
    }
    out += input[i];
    i += 1;
  }
  return out;
}

/** A marker opening at `i` with a matching close on the same paragraph, or undefined. */
function matchWrapper(input: string, i: number): (Wrapper & { close: number }) | undefined {
  for (const wrapper of WRAPPERS) {
    const { marker } = wrapper;
    if (!input.startsWith(marker, i)) continue;
    const start = i + marker.length;
    // The content may not start or end with a space: "a ** b" is not bold.
    if (start >= input.length || /\s/.test(input[start]!)) continue;
    // A single underscore only opens at a word boundary, so snake_case_names stay as they are.
    if (marker === '_' && i > 0 && WORD.test(input[i - 1]!)) continue;
    let close = input.indexOf(marker, start);
    while (close !== -1) {
      const after = input[close + marker.length];
      const boundaryOk = marker !== '_' || after === undefined || !WORD.test(after);
      if (close > start && !/\s/.test(input[close - 1]!) && boundaryOk && !input.slice(start, close).includes('\n\n')) {
        return { ...wrapper, close };
      }
      close = input.indexOf(marker, close + 1);
    }
  }
  return undefined;
}

const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'}]/g;
const MENTION_PATTERN = /(^|[^\p{L}\p{N}_@])@([A-Za-z][A-Za-z0-9_]{4,31})(?![A-Za-z0-9_])/gu;

/** `url` and `mention` entities for the plain text, outside the given spans. */
export function detectLinksAndMentions(text: string, exclude: readonly Entity[] = []): Entity[] {
  const found: Entity[] = [];
  const free = (offset: number, length: number) =>
    !exclude.some((e) => offset < e.offset + e.length && e.offset < offset + length);
  for (const match of text.matchAll(URL_PATTERN)) {
    if (free(match.index, match[0].length)) found.push({ type: 'url', offset: match.index, length: match[0].length });
  }
  for (const match of text.matchAll(MENTION_PATTERN)) {
    const offset = match.index + match[1]!.length;
    const length = match[2]!.length + 1;
    const insideUrl = found.some((e) => offset >= e.offset && offset < e.offset + e.length);
    if (!insideUrl && free(offset, length)) found.push({ type: 'mention', offset, length });
  }
  return found;
}

function sortEntities(entities: Entity[]): Entity[] {
  return entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
}

const MARKER: Partial<Record<EntityType, string>> = {
  bold: '**',
  italic: '__',
  underline: '++',
  strikethrough: '~~',
  code: '`',
};

/**
 * Back to markers, for editing a sent message. Entities the composer cannot
 * author (mentions, URLs: they are re-detected) are dropped.
 */
export function toMarkdown(text: string, entities: readonly Entity[]): string {
  type Insert = { at: number; text: string; order: number };
  const inserts: Insert[] = [];
  for (const e of entities) {
    const end = Math.min(e.offset + e.length, text.length);
    if (e.offset >= end) continue;
    let open: string;
    let close: string;
    if (e.type === 'pre') {
      open = '```' + (e.language ?? '') + '\n';
      close = '\n```';
    } else if (e.type === 'text_link' && e.url) {
      open = '[';
      close = `](${e.url})`;
    } else if (MARKER[e.type]) {
      open = close = MARKER[e.type]!;
    } else {
      continue;
    }
    // At one position closers go before openers; a longer entity opens first and closes last.
    inserts.push({ at: e.offset, text: open, order: 1e9 - (end - e.offset) });
    inserts.push({ at: end, text: close, order: -1e9 + (end - e.offset) });
  }
  inserts.sort((a, b) => a.at - b.at || a.order - b.order);
  let out = '';
  let from = 0;
  for (const insert of inserts) {
    out += text.slice(from, insert.at) + insert.text;
    from = insert.at;
  }
  return out + text.slice(from);
}
