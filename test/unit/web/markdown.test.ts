import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Entities } from '../../../protocol/messages.js';
import { detectLinksAndMentions, parseMarkdown, toMarkdown } from '../../../web/src/lib/markdown.js';

describe('parseMarkdown: the composer markers become entities', () => {
  it('turns each marker into its entity, with offsets into the plain text', () => {
    expect(parseMarkdown('a **bold** b')).toEqual({ text: 'a bold b', entities: [{ type: 'bold', offset: 2, length: 4 }] });
    expect(parseMarkdown('__it__ _it2_ ++u++ ~~s~~ `c`').entities.map((e) => e.type)).toEqual([
      'italic',
      'italic',
      'underline',
      'strikethrough',
      'code',
    ]);
    expect(parseMarkdown('__it__ _it2_ ++u++ ~~s~~ `c`').text).toBe('it it2 u s c');
  });

  it('nests markers', () => {
    const { text, entities } = parseMarkdown('**bold __both__**');
    expect(text).toBe('bold both');
    expect(entities).toEqual([
      { type: 'bold', offset: 0, length: 9 },
      { type: 'italic', offset: 5, length: 4 },
    ]);
  });

  it('reads code blocks with an optional language, and leaves markers inside code alone', () => {
    expect(parseMarkdown('see\n```ts\nconst a = **1**;\n```')).toEqual({
      text: 'see\nconst a = **1**;',
      entities: [{ type: 'pre', offset: 4, length: 16, language: 'ts' }],
    });
    expect(parseMarkdown('`**not bold**`')).toEqual({ text: '**not bold**', entities: [{ type: 'code', offset: 0, length: 12 }] });
  });

  it('makes text links from [label](url), only for http(s)', () => {
    expect(parseMarkdown('[Edgegram](https://example.com/x) docs')).toEqual({
      text: 'Edgegram docs',
      entities: [{ type: 'text_link', offset: 0, length: 8, url: 'https://example.com/x' }],
    });
    expect(parseMarkdown('[x](javascript:alert(1))').entities).toEqual([]);
  });

  it('leaves snake_case, lone markers and spaced markers as typed', () => {
    expect(parseMarkdown('my_user_name and a * b ** c')).toEqual({ text: 'my_user_name and a * b ** c', entities: [] });
    expect(parseMarkdown('a ** b ** c').entities).toEqual([]);
    expect(parseMarkdown('****').entities).toEqual([]);
  });

  it('detects URLs and @mentions in the plain text, not inside code', () => {
    expect(parseMarkdown('see https://example.com/a?b=1. and @alice_1 `@bob_22`').entities).toEqual([
      { type: 'url', offset: 4, length: 25 },
      { type: 'mention', offset: 35, length: 8 },
      { type: 'code', offset: 44, length: 7 },
    ]);
    expect(detectLinksAndMentions('mail a@bcdefg.com')).toEqual([]);
  });

  it('counts offsets in UTF-16 code units, as the protocol does', () => {
    const { text, entities } = parseMarkdown('😀 **hi**');
    expect(text).toBe('😀 hi');
    expect(entities).toEqual([{ type: 'bold', offset: 3, length: 2 }]);
  });

  it('always produces entities the protocol accepts and that stay inside the text', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom('a', ' ', '*', '_', '~', '+', '`', '\n', '[', ']', '(', ')', 'h', '😀') }), (input) => {
        const { text, entities } = parseMarkdown(input);
        expect(Entities.safeParse(entities).success).toBe(true);
        for (const e of entities) expect(e.offset + e.length).toBeLessThanOrEqual(text.length);
      }),
    );
  });
});

describe('toMarkdown: entities back into markers, for editing', () => {
  it('round-trips what the composer can author', () => {
    for (const input of ['a **bold** b', '**bold __both__**', '~~gone~~ and ++under++ `code`', '[label](https://e.com/x) tail', '```js\nx()\n```']) {
      const parsed = parseMarkdown(input);
      expect(parseMarkdown(toMarkdown(parsed.text, parsed.entities))).toEqual(parsed);
    }
  });

  it('drops mentions and URLs, which are detected again', () => {
    expect(toMarkdown('hi @alice_1', [{ type: 'mention', offset: 3, length: 8 }])).toBe('hi @alice_1');
  });
});
