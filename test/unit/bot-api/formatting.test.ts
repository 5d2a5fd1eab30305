import { describe, expect, test } from 'vitest';
import { formatText, parseHtml, parseMarkdown, parseMarkdownV2 } from '../../../services/bot-api/formatting/index.js';
import { BotApiError } from '../../../services/bot-api/errors.js';
import { detectEntities } from '../../../services/bot-api/translate/entities.js';

function failure(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (err instanceof BotApiError) return err.description;
    throw err;
  }
  throw new Error('expected a parse error');
}

describe('HTML', () => {
  test('tags become entities; offsets count UTF-16 units of the parsed text', () => {
    expect(parseHtml('𝔸 <b>b <i>bi</i></b> <u>u</u> <s>s</s> <tg-spoiler>x</tg-spoiler> <code>c</code>')).toEqual({
      text: '𝔸 b bi u s x c',
      entities: [
        { type: 'bold', offset: 3, length: 4 },
        { type: 'italic', offset: 5, length: 2 },
        { type: 'underline', offset: 8, length: 1 },
        { type: 'strikethrough', offset: 10, length: 1 },
        { type: 'spoiler', offset: 12, length: 1 },
        { type: 'code', offset: 14, length: 1 },
      ],
    });
  });

  test('pre with a language, links, user mentions, blockquotes and HTML entities', () => {
    const parsed = parseHtml(
      '<pre><code class="language-ts">a &lt; b</code></pre><a href="https://x.io/?a=1&amp;b=2">x</a><a href="tg://user?id=42">Ann</a><blockquote>q</blockquote>&#128512;&#x41;&amp;',
    );
    expect(parsed.text).toBe('a < bxAnnq😀A&');
    expect(parsed.entities).toEqual([
      { type: 'pre', offset: 0, length: 5, language: 'ts' },
      { type: 'text_link', offset: 5, length: 1, url: 'https://x.io/?a=1&b=2' },
      { type: 'text_link', offset: 6, length: 3, url: 'tg://user?id=42' },
      { type: 'blockquote', offset: 9, length: 1 },
    ]);
  });

  test('Telegram’s errors, with UTF-8 byte offsets', () => {
    expect(failure(() => parseHtml('é<marquee>x</marquee>'))).toBe(
      'Bad Request: can\'t parse entities: Unsupported start tag "marquee" at byte offset 2',
    );
    expect(failure(() => parseHtml('<b>x'))).toBe('Bad Request: can\'t parse entities: Can\'t find end tag corresponding to start tag "b"');
    expect(failure(() => parseHtml('<b>x</i>'))).toBe(
      'Bad Request: can\'t parse entities: Unmatched end tag at byte offset 4, expected "</b>", found "</i>"',
    );
  });
});

describe('MarkdownV2', () => {
  test('nested entities, underline vs italic, escapes', () => {
    expect(parseMarkdownV2('*bold _italic bold ~strike~ __under italic bold___ bold*')).toEqual({
      text: 'bold italic bold strike under italic bold bold',
      entities: [
        { type: 'bold', offset: 0, length: 46 },
        { type: 'italic', offset: 5, length: 36 },
        { type: 'strikethrough', offset: 17, length: 6 },
        { type: 'underline', offset: 24, length: 17 },
      ],
    });
    expect(parseMarkdownV2('a\\_b\\*c \\\\ 2\\+2\\=4\\!')).toEqual({ text: 'a_b*c \\ 2+2=4!', entities: [] });
  });

  test('code, pre with language, links with escaped parentheses, spoilers and quotes', () => {
    const parsed = parseMarkdownV2('`a\\`b` ```python\nprint(1)``` [t](https://x.io/a\\)b) ||s||\n>quoted\n>more');
    expect(parsed.text).toBe('a`b print(1) t s\nquoted\nmore');
    expect(parsed.entities).toEqual([
      { type: 'code', offset: 0, length: 3 },
      { type: 'pre', offset: 4, length: 8, language: 'python' },
      { type: 'text_link', offset: 13, length: 1, url: 'https://x.io/a)b' },
      { type: 'spoiler', offset: 15, length: 1 },
      { type: 'blockquote', offset: 17, length: 11 },
    ]);
  });

  test('reserved characters and unclosed entities are Telegram’s errors', () => {
    expect(failure(() => parseMarkdownV2('Hello!'))).toBe(
      "Bad Request: can't parse entities: Character '!' is reserved and must be escaped with the preceding '\\'",
    );
    expect(failure(() => parseMarkdownV2('ok _open'))).toBe("Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 3");
    expect(failure(() => parseMarkdownV2('`code'))).toBe("Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 0");
  });
});

describe('Markdown (legacy)', () => {
  test('no nesting; escapes outside entities', () => {
    expect(parseMarkdown('*b* _i_ `c` [l](https://x.io) \\*not\\* ```js\nx```')).toEqual({
      text: 'b i c l *not* x',
      entities: [
        { type: 'bold', offset: 0, length: 1 },
        { type: 'italic', offset: 2, length: 1 },
        { type: 'code', offset: 4, length: 1 },
        { type: 'text_link', offset: 6, length: 1, url: 'https://x.io' },
        { type: 'pre', offset: 14, length: 1, language: 'js' },
      ],
    });
    expect(failure(() => parseMarkdown('*open'))).toBe("Bad Request: can't parse entities: Can't find end of the entity starting at byte offset 0");
  });
});

describe('formatText', () => {
  test('keeps what Edgegram stores: spoilers and quotes drop, tg://user links become text mentions', () => {
    expect(formatText('<tg-spoiler>s</tg-spoiler> <a href="tg://user?id=7">Bo</a> <a href="mailto:x@y.z">m</a>', 'HTML', undefined)).toEqual({
      text: 's Bo m',
      entities: [{ type: 'text_mention', offset: 2, length: 2, user_id: 7 }],
    });
  });

  test('without a parse mode the explicit entities are taken, unknown kinds dropped', () => {
    expect(
      formatText('hi there', undefined, [
        { type: 'bold', offset: 0, length: 2 },
        { type: 'spoiler', offset: 3, length: 5 },
        { type: 'text_mention', offset: 3, length: 5, user: { id: 9 } },
      ]),
    ).toEqual({
      text: 'hi there',
      entities: [
        { type: 'bold', offset: 0, length: 2 },
        { type: 'text_mention', offset: 3, length: 5, user_id: 9 },
      ],
    });
  });
});

describe('detected entities', () => {
  test('commands, mentions, hashtags, emails and urls as Telegram detects them', () => {
    const text = '/start@my_bot hi @alice_b #tag a@b.co https://x.io/p. /x';
    expect(detectEntities(text).map((e) => [e.type, text.slice(e.offset, e.offset + e.length)])).toEqual([
      ['bot_command', '/start@my_bot'],
      ['mention', '@alice_b'],
      ['hashtag', '#tag'],
      ['email', 'a@b.co'],
      ['url', 'https://x.io/p'],
      ['bot_command', '/x'],
    ]);
  });
});
