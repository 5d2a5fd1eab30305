import { describe, expect, it } from 'vitest';
import { cellsToRun } from '../../support/matrix-sample.js';
import { sized, suiteSize } from '../../support/suite-size.js';

describe('suite strength', () => {
  it('is quick by default, soak with EDGEGRAM_SOAK=1, long with EDGEGRAM_LONG=1 (which wins)', () => {
    expect(suiteSize({})).toBe('quick');
    expect(suiteSize({ EDGEGRAM_SOAK: '' })).toBe('quick');
    expect(suiteSize({ EDGEGRAM_SOAK: '1' })).toBe('soak');
    expect(suiteSize({ EDGEGRAM_SOAK: '1', EDGEGRAM_LONG: 'true' })).toBe('long');
  });

  it('an exact count given by the caller wins over the size', () => {
    const counts = { quick: 10, soak: 100, long: 1000 };
    expect(sized('soak', counts)).toBe(100);
    expect(sized('quick', counts, '')).toBe(10);
    expect(sized('quick', counts, '7')).toBe(7);
    expect(sized('quick', counts, 'x')).toBe(10);
  });
});

describe('authorization matrix sampling', () => {
  const row = { owner: 'A', admin: 'A', member: 'F', outsider: 'N', banned: 'N', anonymous: 'U', bot: 'U' } as const;

  it('soak runs every cell', () => {
    expect(cellsToRun('sendMessage', row, 'soak', 1)).toEqual(Object.keys(row));
  });

  it('quick runs one cell of each expected answer in the row', () => {
    for (const seed of [1, 2, 3, 99, 123456]) {
      const chosen = cellsToRun('sendMessage', row, 'quick', seed);
      expect(chosen.map((column) => row[column]).sort()).toEqual(['A', 'F', 'N', 'U']);
    }
  });

  it('successive seeds walk the other columns', () => {
    const seen = new Set<string>();
    for (let seed = 0; seed < 64; seed++) for (const column of cellsToRun('sendMessage', row, 'quick', seed)) seen.add(column);
    expect([...seen].sort()).toEqual(Object.keys(row).sort());
  });
});
