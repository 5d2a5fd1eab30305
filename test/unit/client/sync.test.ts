import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SyncEngine, type DifferenceResult, type SyncEffect } from '../../../client/sync.js';
import type { UpdateEnvelope } from '../../../protocol/updates.js';

const DATE = 1_700_000_000_000;

/** Envelopes 1..n, each one pts, or with the given pts_counts. */
function envelopes(counts: number[] | number): UpdateEnvelope[] {
  const list = typeof counts === 'number' ? Array.from({ length: counts }, () => 1) : counts;
  let pts = 0;
  return list.map((pts_count, i) => {
    pts += pts_count;
    return { pts, pts_count, date: DATE, update: { type: 'delete_messages', chat_id: 1, ids: [i + 1], for_everyone: true } };
  });
}

const applied = (effects: SyncEffect[]) =>
  effects.flatMap((e) => (e.type === 'apply' ? [e.envelope.pts] : []));
const state = (pts: number) => ({ pts, date: DATE });

/** What the server would answer to getDifference(pts) over `log`, paging `page` at a time. */
function difference(log: UpdateEnvelope[], pts: number, page = 1000): DifferenceResult {
  const head = log.at(-1)?.pts ?? 0;
  if (pts === head) return { kind: 'empty', state: state(head) };
  const updates = log.filter((e) => e.pts > pts).slice(0, page);
  const last = updates.at(-1)!;
  const more = last.pts < head;
  return { kind: 'difference', updates, more, state: state(more ? last.pts : head) };
}

function live(pts: number): SyncEngine {
  const engine = new SyncEngine(pts);
  engine.resync();
  engine.receiveDifference({ kind: 'empty', state: state(pts) });
  return engine;
}

describe('SyncEngine', () => {
  it('applies pushed updates in order', () => {
    const engine = live(0);
    const [e1, e2, e3] = envelopes(3);
    expect(applied(engine.receive([e1!, e2!]))).toEqual([1, 2]);
    expect(applied(engine.receive([e3!]))).toEqual([3]);
    expect(engine.pts).toBe(3);
  });

  it('ignores duplicates and updates it already has', () => {
    const engine = live(0);
    const [e1, e2] = envelopes(2);
    engine.receive([e1!, e2!]);
    expect(engine.receive([e1!, e2!, e1!])).toEqual([]);
    expect(engine.pts).toBe(2);
  });

  it('honours pts_count: an update covering several pts applies when it ends exactly one step ahead', () => {
    const engine = live(0);
    const [a, b] = envelopes([1, 3]);
    expect(applied(engine.receive([a!, b!]))).toEqual([1, 4]);
    expect(engine.pts).toBe(4);
  });

  it('detects a gap, holds the push and asks for the difference from the local pts', () => {
    const engine = live(0);
    const log = envelopes(3);
    expect(engine.receive([log[0]!])).toHaveLength(1);
    const effects = engine.receive([log[2]!]);
    expect(effects).toEqual([{ type: 'getDifference', pts: 1 }]);
    expect(engine.phase).toBe('fetching');
    expect(engine.held).toBe(1);
    expect(applied(engine.receiveDifference(difference(log, 1)))).toEqual([2, 3]);
    expect(engine.phase).toBe('live');
    expect(engine.pts).toBe(3);
  });

  it('pages through the difference while `more` is set', () => {
    const engine = new SyncEngine(0);
    const log = envelopes(5);
    expect(engine.resync()).toEqual([{ type: 'getDifference', pts: 0 }]);
    const first = engine.receiveDifference(difference(log, 0, 2));
    expect(first).toEqual([
      { type: 'apply', envelope: log[0] },
      { type: 'apply', envelope: log[1] },
      { type: 'getDifference', pts: 2 },
    ]);
    expect(applied(engine.receiveDifference(difference(log, 2, 2)))).toEqual([3, 4]);
    expect(applied(engine.receiveDifference(difference(log, 4, 2)))).toEqual([5]);
    expect(engine.phase).toBe('live');
  });

  it('on too_long, tells the app to reload and continues from the server state', () => {
    const engine = new SyncEngine(3);
    engine.resync();
    const later = { ...envelopes(501)[500]! };
    engine.receive([later]);
    const effects = engine.receiveDifference({ kind: 'too_long', state: state(500) });
    expect(effects).toEqual([
      { type: 'tooLong', state: state(500) },
      { type: 'apply', envelope: later },
    ]);
    expect(engine.pts).toBe(501);
  });

  it('holds pushes during the difference and applies them afterwards without duplicates', () => {
    const engine = new SyncEngine(0);
    const log = envelopes(6);
    engine.resync();
    // Pushes arrive while getDifference is in flight: some overlap with its answer.
    expect(engine.receive([log[3]!, log[4]!, log[5]!, log[4]!])).toEqual([]);
    const effects = engine.receiveDifference(difference(log.slice(0, 5), 0));
    expect(applied(effects)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(engine.held).toBe(0);
  });

  it('a fresh device starts from getState and drops held pushes the state already covers', () => {
    const engine = new SyncEngine();
    const log = envelopes(4);
    expect(engine.resync()).toEqual([{ type: 'getState' }]);
    engine.receive([log[2]!, log[3]!]);
    expect(applied(engine.receiveState(state(3)))).toEqual([4]);
    expect(engine.pts).toBe(4);
  });

  it('a gap left among held pushes starts another fetch', () => {
    const engine = new SyncEngine(0);
    const log = envelopes(5);
    engine.resync();
    engine.receive([log[4]!]);
    const effects = engine.receiveDifference(difference(log.slice(0, 2), 0));
    expect(effects.at(-1)).toEqual({ type: 'getDifference', pts: 2 });
    expect(applied(engine.receiveDifference(difference(log, 2)))).toEqual([3, 4, 5]);
  });

  it('ignores an answer that nobody asked for', () => {
    const engine = live(2);
    expect(engine.receiveDifference({ kind: 'too_long', state: state(0) })).toEqual([]);
    expect(engine.pts).toBe(2);
  });

  it('for any shuffled, duplicated, lossy delivery the applied sequence is exactly 1..n in order', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ ptsCount: fc.integer({ min: 1, max: 3 }), copies: fc.integer({ min: 0, max: 2 }) }), {
          minLength: 1,
          maxLength: 40,
        }),
        fc.integer({ min: 1, max: 7 }),
        fc.infiniteStream(fc.nat()),
        (spec, page, choices) => {
          const log = envelopes(spec.map((s) => s.ptsCount));
          // Each envelope is pushed 0-2 times, in random order, interleaved
          // with the answers to the engine's requests.
          const deliveries = log.flatMap((e, i) => Array.from({ length: spec[i]!.copies }, () => e));
          const next = () => choices.next().value as number;
          const pending: SyncEffect[] = [];
          const out: number[] = [];
          const engine = new SyncEngine(0);
          const run = (effects: SyncEffect[]) => {
            for (const effect of effects) {
              if (effect.type === 'apply') out.push(effect.envelope.pts);
              else pending.push(effect);
            }
          };
          run(engine.resync());
          while (deliveries.length > 0 || pending.length > 0) {
            if (deliveries.length > 0 && (pending.length === 0 || next() % 2 === 0)) {
              const [envelope] = deliveries.splice(next() % deliveries.length, 1);
              run(engine.receive([envelope!]));
            } else {
              const request = pending.shift()!;
              if (request.type === 'getDifference') run(engine.receiveDifference(difference(log, request.pts, page)));
            }
          }
          // A reconnect resyncs: whatever was lost arrives now.
          run(engine.resync());
          while (pending.length > 0) {
            const request = pending.shift()!;
            if (request.type === 'getDifference') run(engine.receiveDifference(difference(log, request.pts, page)));
          }
          expect(out).toEqual(log.map((e) => e.pts));
          expect(engine.phase).toBe('live');
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('SyncEngine after a disconnect', () => {
  it('holds pushes while paused and replays them after the resync', () => {
    const engine = live(0);
    const log = envelopes(3);
    engine.pause();
    expect(engine.receive([log[1]!])).toEqual([]);
    expect(engine.resync()).toEqual([{ type: 'getDifference', pts: 0 }]);
    expect(applied(engine.receiveDifference(difference(log.slice(0, 1), 0)))).toEqual([1, 2]);
  });
});
