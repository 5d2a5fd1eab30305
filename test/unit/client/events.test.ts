import { describe, expect, it } from 'vitest';
import { Emitter } from '../../../client/events.js';

describe('Emitter', () => {
  it('delivers to listeners until they unsubscribe; once fires once', () => {
    const emitter = new Emitter<{ n: number }>();
    const seen: number[] = [];
    const off = emitter.on('n', (n) => seen.push(n));
    emitter.once('n', (n) => seen.push(n * 10));
    emitter.emit('n', 1);
    off();
    emitter.emit('n', 2);
    expect(seen).toEqual([1, 10]);
    expect(emitter.listenerCount('n')).toBe(0);
  });

  it('a throwing listener is reported and does not stop the others', () => {
    const errors: unknown[] = [];
    const emitter = new Emitter<{ n: number }>((e) => errors.push(e));
    const seen: number[] = [];
    emitter.on('n', () => {
      throw new Error('boom');
    });
    emitter.on('n', (n) => seen.push(n));
    emitter.emit('n', 1);
    expect(seen).toEqual([1]);
    expect(errors).toHaveLength(1);
  });
});
