import { expect, test } from 'vitest';
import { FloodLimits } from '../../../services/bots/flood.js';

test('per private chat: a burst of twenty, then one a second; other chats are not affected', () => {
  let now = 0;
  const flood = new FloodLimits(() => now);
  expect(Array.from({ length: 21 }, () => flood.take(1, false))).toEqual([...Array<number>(20).fill(0), 1]);
  expect(flood.take(2, false)).toBe(0);
  now += 1_000;
  expect(flood.take(1, false)).toBe(0);
  expect(flood.take(1, false)).toBe(1);
});

test('per group: 20 a minute; a refused message costs nothing', () => {
  let now = 0;
  const flood = new FloodLimits(() => now);
  for (let i = 0; i < 20; i++) expect(flood.take(9, true)).toBe(0);
  expect(flood.take(9, true)).toBe(3);
  expect(flood.take(9, true)).toBe(3);
  now += 3_000;
  expect(flood.take(9, true)).toBe(0);
});

test('overall: about 30 a second across chats', () => {
  const now = 0;
  const flood = new FloodLimits(() => now);
  for (let chat = 0; chat < 30; chat++) expect(flood.take(chat, false)).toBe(0);
  expect(flood.take(99, false)).toBe(1);
});
