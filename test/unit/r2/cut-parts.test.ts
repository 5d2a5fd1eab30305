/**
 * Bytes of unknown length cut into R2 parts (r2/cut-parts.ts) as planUpload
 * plans a file of that size, so the same bytes get the same parts (and
 * content key) however they arrived.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { cutIntoParts, type PartBytes } from '../../../r2/cut-parts.js';
import { planUpload } from '../../../r2/plan.js';

async function* chunks(sizes: readonly number[], log: string[]): AsyncGenerator<Uint8Array> {
  let next = 0;
  for (const size of sizes) {
    log.push('read');
    yield Uint8Array.from({ length: size }, () => next++ & 0xff);
  }
}

function bytesOf(part: PartBytes): number[] {
  return part.chunks.flatMap((c) => [...c]);
}

describe('cutting a stream into parts', () => {
  test('every part is the part size but the last, as planned for the total; nothing is read while a part is written (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 16 }), fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 12 }), async (partSize, sizes) => {
        const log: string[] = [];
        const written: PartBytes[] = [];
        const { last, size } = await cutIntoParts(chunks(sizes, log), partSize, async (part) => {
          log.push('write start');
          await new Promise((r) => setImmediate(r));
          written.push(part);
          log.push('write end');
        });
        const total = sizes.reduce((a, b) => a + b, 0);
        expect(size).toBe(total);
        const parts = [...written, last];
        const plan = planUpload(total, partSize);
        expect(parts.map((p) => p.partNumber)).toEqual(Array.from({ length: plan.partCount }, (_, i) => i + 1));
        expect(parts.map((p) => p.size)).toEqual(parts.map((_, i) => (i < plan.partCount - 1 ? partSize : total - (plan.partCount - 1) * partSize)));
        expect(parts.flatMap(bytesOf)).toEqual(Array.from({ length: total }, (_, i) => i & 0xff));
        // Each write ends before the next chunk is read: memory holds one part and the chunk in hand.
        expect(log.join(',')).not.toMatch(/write start,read/);
      }),
    );
  });

  test('bytes ending at exactly one part are one part (a single upload); one byte more makes two', async () => {
    const written: PartBytes[] = [];
    const one = await cutIntoParts(chunks([4, 4], []), 8, async (p) => void written.push(p));
    expect([written.length, one.last.size]).toEqual([0, 8]);
    const two = await cutIntoParts(chunks([4, 4, 1], []), 8, async (p) => void written.push(p));
    expect([written.map((p) => p.size), two.last.partNumber, two.last.size]).toEqual([[8], 2, 1]);
    const none = await cutIntoParts(chunks([], []), 8, async (p) => void written.push(p));
    expect([none.size, none.last.size, none.last.chunks]).toEqual([0, 0, []]);
  });
});
