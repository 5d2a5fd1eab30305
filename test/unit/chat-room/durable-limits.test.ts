import { describe, expect, it } from 'vitest';
import { DurableBuckets } from '../../../durable-objects/chat-room/rate-limit.js';
import { chatRoomMigrations } from '../../../durable-objects/chat-room/migrations.js';
import { migrate } from '../../../durable-objects/sql/migrate.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

describe('durable per-member limits (issue 14, finding 7)', () => {
  const rule = { rate: 1, burst: 3 };

  function store() {
    const s = new MemorySqlStore();
    migrate(s, chatRoomMigrations);
    return s;
  }

  it('a burst is spent, then one token a second comes back', () => {
    let now = 0;
    const buckets = new DurableBuckets(store(), () => now);
    expect([1, 2, 3].map(() => buckets.take(7, 'edit', rule))).toEqual([0, 0, 0]);
    expect(buckets.take(7, 'edit', rule)).toBe(1);
    now = 1_000;
    expect(buckets.take(7, 'edit', rule)).toBe(0);
    expect(buckets.take(7, 'edit', rule)).toBe(1);
  });

  it('survives an eviction: a new instance over the same storage does not refill the bucket', () => {
    const s = store();
    const now = () => 5_000;
    const first = new DurableBuckets(s, now);
    for (let i = 0; i < 3; i++) first.take(7, 'edit', rule);
    const afterEviction = new DurableBuckets(s, now);
    expect(afterEviction.take(7, 'edit', rule)).toBeGreaterThan(0);
  });

  it('a bucket is written once it is below half its burst: an eviction gives at most half a burst more, once', () => {
    const s = store();
    const big = { rate: 1, burst: 10 };
    const first = new DurableBuckets(s, () => 0);
    for (let i = 0; i < 5; i++) first.take(7, 'send', big);
    expect(s.exec('SELECT * FROM rate_buckets')).toEqual([]); // 5 left of 10: nothing written yet
    first.take(7, 'send', big);
    expect(s.exec<{ tokens: number }>('SELECT tokens FROM rate_buckets')[0]?.tokens).toBe(4);
    for (let i = 0; i < 4; i++) first.take(7, 'send', big);
    const afterEviction = new DurableBuckets(s, () => 0);
    expect(afterEviction.take(7, 'send', big)).toBeGreaterThan(0);
  });

  it('each member and each action has its own bucket', () => {
    const buckets = new DurableBuckets(store(), () => 0);
    for (let i = 0; i < 3; i++) buckets.take(7, 'edit', rule);
    expect(buckets.take(7, 'edit', rule)).toBeGreaterThan(0);
    expect(buckets.take(8, 'edit', rule)).toBe(0);
    expect(buckets.take(7, 'pin', rule)).toBe(0);
  });

  it('a refusal spends nothing', () => {
    let now = 0;
    const buckets = new DurableBuckets(store(), () => now);
    for (let i = 0; i < 3; i++) buckets.take(7, 'edit', rule);
    for (let i = 0; i < 10; i++) expect(buckets.take(7, 'edit', rule)).toBe(1);
    now = 1_000;
    expect(buckets.take(7, 'edit', rule)).toBe(0);
  });
});
