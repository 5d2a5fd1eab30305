import { beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { INDEX_TARGET, PARK_AFTER_FAILURES, PROBE_INTERVAL_MS } from '../../../durable-objects/chat-room/outbox-health.js';
import { CHAT_ID, groupSpec, newMessageIds, outboxSize, privateSpec, rid, setup } from './harness.js';

const A = 1;
const B = 2;
const C = 3;

type Harness = ReturnType<typeof setup>;

/** Runs the alarm whenever it is due until `target` has failed PARK_AFTER_FAILURES times (the first failure was the direct drain). */
async function failUntilParked({ room, clock, alarms }: Harness): Promise<void> {
  for (let i = 1; i < PARK_AFTER_FAILURES; i++) {
    clock.t = alarms.at(-1)!;
    await room.alarm();
  }
}

function loggedEvents(spy: MockInstance, event: string): Record<string, unknown>[] {
  return spy.mock.calls
    .map((args) => args[0])
    .filter((line): line is string => typeof line === 'string' && line.startsWith('{'))
    .map((line) => JSON.parse(line) as Record<string, unknown>)
    .filter((entry) => entry.event === event);
}

describe('parking a recipient that keeps failing', () => {
  let warn: MockInstance;
  beforeEach(() => {
    warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });

  it('a recipient that fails PARK_AFTER_FAILURES times in a row is parked and reported once', async () => {
    const h = setup();
    const { room, world, settle, clock } = h;
    world.failBefore.set(B, 1_000);
    room.init(privateSpec(A, B));
    await settle();
    await failUntilParked(h);
    await settle();
    expect(world.parkingReports).toEqual([
      { op: 'parked', chatId: CHAT_ID, recipient: B, at: clock.t, attempts: PARK_AFTER_FAILURES, oldestSeq: 1, rows: 1 },
    ]);
    expect(loggedEvents(warn, 'outbox_parked')).toEqual([
      { event: 'outbox_parked', chat_id: CHAT_ID, recipient: B, attempts: PARK_AFTER_FAILURES, oldest_event_seq: 1, rows: 1 },
    ]);
    // Further failures while parked report nothing new.
    clock.t += PROBE_INTERVAL_MS;
    await room.alarm();
    await settle();
    expect(world.parkingReports).toHaveLength(1);
  });

  it('one failure short of the bound, the recipient is not parked', async () => {
    const h = setup();
    h.world.failBefore.set(B, PARK_AFTER_FAILURES - 1);
    h.room.init(privateSpec(A, B));
    await h.settle();
    for (let i = 1; i < PARK_AFTER_FAILURES; i++) {
      h.clock.t = h.alarms.at(-1)!;
      await h.room.alarm();
    }
    await h.settle();
    expect(h.world.parkingReports).toEqual([]);
    expect(h.world.updates(B).map((u) => u.type)).toEqual(['chat']);
  });

  it('while only parked rows remain, the alarm goes slow: it probes every PROBE_INTERVAL_MS and skips the recipient in between', async () => {
    const h = setup();
    const { room, world, settle, clock, alarms } = h;
    world.failBefore.set(B, 1_000);
    room.init(privateSpec(A, B));
    await settle();
    await failUntilParked(h);
    expect(alarms.at(-1)).toBe(clock.t + PROBE_INTERVAL_MS);
    // An alarm before the probe is due (another write's backstop) does not call the dead mailbox.
    const callsToB = world.eventsSentTo(B).length;
    clock.t += 60_000;
    await room.alarm();
    expect(world.eventsSentTo(B).length).toBe(callsToB);
    // The probe is due: one attempt, then the next probe a whole interval later.
    clock.t = alarms.at(-1)!;
    await room.alarm();
    expect(world.calls.filter((c) => c.userId === B).length).toBe(PARK_AFTER_FAILURES + 1);
    expect(alarms.at(-1)).toBe(clock.t + PROBE_INTERVAL_MS);
  });

  it('other recipients are delivered normally while one is parked', async () => {
    const h = setup();
    const { room, world, settle } = h;
    world.failBefore.set(B, 1_000);
    room.init(groupSpec(A, [A, B, C]));
    await settle();
    await failUntilParked(h);
    room.sendMessage(A, { random_id: rid(), text: 'one' });
    room.sendMessage(C, { random_id: rid(), text: 'two' });
    await settle();
    expect(newMessageIds(world.updates(A))).toEqual([1, 2]);
    expect(newMessageIds(world.updates(C))).toEqual([1, 2]);
    expect(newMessageIds(world.updates(B))).toEqual([]);
    expect(world.parkingReports.map((r) => r.recipient)).toEqual([B]);
  });

  it('parking survives a restart: the reopened room keeps the recipient on the slow probe', async () => {
    const h = setup();
    const { room, world, settle, clock, store } = h;
    world.failBefore.set(B, 1_000);
    room.init(privateSpec(A, B));
    await settle();
    await failUntilParked(h);
    const probeAt = clock.t + PROBE_INTERVAL_MS;

    const reopened = h.reopen();
    const callsToB = world.eventsSentTo(B).length;
    clock.t += 60_000;
    await reopened.alarm();
    expect(world.eventsSentTo(B).length).toBe(callsToB);
    expect(h.alarms.at(-1)).toBe(probeAt);
    expect(outboxSize(store)).toBe(1);
  });

  it('after the recipient recovers, a probe delivers every parked row in order, exactly once, and resumes it', async () => {
    const h = setup();
    const { world, settle, clock, store } = h;
    world.failBefore.set(B, 1_000);
    h.room.init(privateSpec(A, B));
    await settle();
    await failUntilParked(h);
    for (const text of ['one', 'two', 'three']) h.room.sendMessage(A, { random_id: rid(), text });
    await settle();
    // Evicted meanwhile: the new instance reads the parked rows back from storage.
    const room = h.reopen();
    world.failBefore.set(B, 0);
    // The failed direct tries of those sends moved the probe on: due a whole interval after them.
    clock.t += PROBE_INTERVAL_MS;
    await Promise.all([room.alarm(), room.alarm()]); // at-least-once: it may fire twice
    await room.idle();
    expect(world.updates(B).map((u) => u.type)).toEqual(['chat', 'new_message', 'new_message', 'new_message']);
    expect(newMessageIds(world.updates(B))).toEqual([1, 2, 3]);
    expect(outboxSize(store)).toBe(0);
    expect(world.parkingReports.map((r) => r.op)).toEqual(['parked', 'resumed']);
    expect(store.exec('SELECT * FROM outbox_targets')).toEqual([]);
    expect(loggedEvents(warn, 'outbox_resumed')).toEqual([{ event: 'outbox_resumed', chat_id: CHAT_ID, recipient: B }]);
  });

  it('a new event delivered directly to a recovered recipient un-parks it, oldest rows first', async () => {
    const h = setup();
    const { room, world, settle } = h;
    world.failBefore.set(B, 1_000);
    room.init(privateSpec(A, B));
    await settle();
    await failUntilParked(h);
    room.sendMessage(A, { random_id: rid(), text: 'while parked' });
    await settle();
    world.failBefore.set(B, 0);
    room.sendMessage(A, { random_id: rid(), text: 'back' });
    await settle();
    expect(newMessageIds(world.updates(B))).toEqual([1, 2]);
    expect(world.parkingReports.map((r) => r.op)).toEqual(['parked', 'resumed']);
  });

  it('D1 index writes that keep failing are parked and resumed the same way', async () => {
    const h = setup();
    const { room, world, settle, clock, alarms } = h;
    world.failIndexWrites = 1_000;
    room.init(groupSpec(A, [A, B]));
    await settle();
    await failUntilParked(h);
    await settle();
    expect(world.parkingReports).toEqual([
      { op: 'parked', chatId: CHAT_ID, recipient: INDEX_TARGET, at: clock.t, attempts: PARK_AFTER_FAILURES, oldestSeq: 1, rows: 2 },
    ]);
    expect(alarms.at(-1)).toBe(clock.t + PROBE_INTERVAL_MS);
    world.failIndexWrites = 0;
    clock.t = alarms.at(-1)!;
    await room.alarm();
    await settle();
    expect([...world.index.keys()]).toEqual([`${CHAT_ID}:${A}`, `${CHAT_ID}:${B}`]);
    expect(world.parkingReports.map((r) => r.op)).toEqual(['parked', 'resumed']);
  });
});

describe('unreadable outbox rows', () => {
  beforeEach(() => {
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation(() => {});
  });

  for (const [what, column] of [
    ['corrupt JSON', { body: '{"chat_id": 42, "event_s', v: 1 }],
    ['a version newer than the code', { body: null, v: 99 }],
  ] as const) {
    it(`a row with ${what} parks its recipient at once, reported, and nothing after it is skipped`, async () => {
      const h = setup();
      const { room, world, settle, store } = h;
      world.failBefore.set(B, 1);
      room.init(privateSpec(A, B));
      room.sendMessage(A, { random_id: rid(), text: 'after the bad row' });
      await settle();
      // B's copy of its first event goes bad in storage (B's events are read back after a restart).
      const original = store.exec<{ body: string }>('SELECT body FROM outbox_events WHERE event_seq = 1')[0]!.body;
      store.exec('UPDATE outbox_events SET copies = json_object(?, ?), v = ? WHERE event_seq = 1', String(B), column.body ?? original, column.v);
      const reopened = h.reopen();
      await reopened.alarm();
      await reopened.idle();
      expect(world.parkingReports).toMatchObject([{ op: 'parked', recipient: B, oldestSeq: 1, rows: 2 }]);
      expect(outboxSize(store)).toBe(2);
      expect(newMessageIds(world.updates(A))).toEqual([1]);
      expect(world.updates(B)).toEqual([]);
      // Repaired (rewritten at the current version), the next probe delivers both in order.
      store.exec('UPDATE outbox_events SET copies = NULL, v = 1 WHERE event_seq = 1');
      h.clock.t = h.alarms.at(-1)!;
      await reopened.alarm();
      await reopened.idle();
      expect(world.updates(B).map((u) => u.type)).toEqual(['chat', 'new_message']);
    });
  }
});
