import { describe, expect, it } from 'vitest';
import { planSends } from '../../../web/src/model/media-send.js';

describe('planSends: picked files into sends the album rule allows', () => {
  it('puts photos and videos together, documents together, at most ten a send, animations alone', () => {
    const f = (kind: string, n: number) => ({ probe: { kind }, n });
    const files = [f('document', 1), f('photo', 2), f('video', 3), f('animation', 4), f('animation', 5), ...Array.from({ length: 11 }, (_, i) => f('photo', 10 + i))];
    const sends = planSends(files).map((s) => s.map((x) => x.n));
    expect(sends).toEqual([[2, 3, 10, 11, 12, 13, 14, 15, 16, 17], [18, 19, 20], [1], [4], [5]]);
  });
});
