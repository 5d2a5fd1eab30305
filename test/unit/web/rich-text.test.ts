import { describe, expect, it } from 'vitest';
import { safeHref, toRichTree } from '../../../web/src/lib/rich-text.js';

describe('toRichTree: entities as a nested tree for rendering', () => {
  it('nests entities that contain each other', () => {
    const tree = toRichTree('bold both', [
      { type: 'bold', offset: 0, length: 9 },
      { type: 'italic', offset: 5, length: 4 },
    ]);
    expect(tree).toMatchObject([
      {
        kind: 'entity',
        entity: { type: 'bold' },
        children: [{ kind: 'text', text: 'bold ' }, { kind: 'entity', entity: { type: 'italic' }, children: [{ kind: 'text', text: 'both' }] }],
      },
    ]);
  });

  it('splits entities that overlap without nesting, keeping every character once', () => {
    const tree = toRichTree('abcdefghij', [
      { type: 'bold', offset: 0, length: 6 },
      { type: 'italic', offset: 3, length: 7 },
    ]);
    const flat = (nodes: ReturnType<typeof toRichTree>): string =>
      nodes.map((n) => (n.kind === 'text' ? n.text : flat(n.children))).join('');
    expect(flat(tree)).toBe('abcdefghij');
    expect(tree.map((n) => (n.kind === 'entity' ? n.entity.type : 'text'))).toEqual(['bold', 'italic']);
  });

  it('ignores entities outside the text and clips those running past its end', () => {
    expect(toRichTree('abc', [{ type: 'bold', offset: 5, length: 2 }])).toEqual([{ kind: 'text', text: 'abc' }]);
    expect(toRichTree('abc', [{ type: 'bold', offset: 1, length: 10 }])).toMatchObject([
      { kind: 'text', text: 'a' },
      { kind: 'entity', children: [{ kind: 'text', text: 'bc' }] },
    ]);
  });
});

describe('safeHref: only http(s) links are ever opened', () => {
  it('adds https to bare hosts and refuses other schemes', () => {
    expect(safeHref('example.com/a')).toBe('https://example.com/a');
    expect(safeHref('http://example.com')).toBe('http://example.com/');
    expect(safeHref('javascript:alert(1)')).toBeUndefined();
    expect(safeHref('data:text/html,hi')).toBeUndefined();
  });
});
