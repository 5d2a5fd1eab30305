import fc from 'fast-check';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { EdgegramError } from '../../../protocol/errors.js';
import { CHAT_ID, groupSpec, newMessageIds, outboxSize, setup } from './harness.js';

const MEMBERS = [1, 2, 3] as const;
const user = fc.constantFrom(...MEMBERS);
/** Message ids are picked from a small range so most name real messages. */
const msgId = fc.integer({ min: 1, max: 12 });

const command = fc.oneof(
  // A small pool of random_ids per sender makes retries common.
  fc.record({ op: fc.constant('send' as const), user, rid: fc.integer({ min: 0, max: 5 }), text: fc.string({ minLength: 1, maxLength: 8 }) }),
  fc.record({ op: fc.constant('edit' as const), user, id: msgId }),
  fc.record({ op: fc.constant('delete' as const), user, ids: fc.array(msgId, { minLength: 1, maxLength: 3 }), forEveryone: fc.boolean() }),
  fc.record({ op: fc.constant('read' as const), user, maxId: fc.integer({ min: 0, max: 14 }) }),
  fc.record({ op: fc.constant('fail' as const), user, times: fc.integer({ min: 1, max: 3 }), ackLost: fc.boolean() }),
  fc.record({ op: fc.constant('alarm' as const) }),
  fc.record({ op: fc.constant('yield' as const), turns: fc.integer({ min: 1, max: 4 }) }),
);
type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

/** Domain refusals (not the sender, nothing left to delete, …) are part of the game; anything else is a bug. */
function attempt(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (!(err instanceof EdgegramError)) throw err;
  }
}

async function run(commands: Command[]) {
  const t = setup();
  t.room.init(groupSpec(1, [...MEMBERS]));
  for (const c of commands) {
    t.tick(100);
    switch (c.op) {
      case 'send':
        attempt(() => t.room.sendMessage(c.user, { random_id: `u${c.user}-${c.rid}`, text: `x${c.text}` }));
        break;
      case 'edit':
        attempt(() => t.room.editMessage(c.user, c.id, `edited ${c.id}`, undefined));
        break;
      case 'delete':
        attempt(() => t.room.deleteMessages(c.user, c.ids, c.forEveryone));
        break;
      case 'read':
        attempt(() => t.room.readHistory(c.user, c.maxId));
        break;
      case 'fail':
        (c.ackLost ? t.world.failAfter : t.world.failBefore).set(c.user, c.times);
        break;
      case 'alarm':
        // At-least-once: the platform may run an alarm twice.
        await Promise.all([t.room.alarm(), t.room.alarm()]);
        break;
      case 'yield':
        for (let i = 0; i < c.turns; i++) await Promise.resolve();
        break;
    }
  }
  // The mailboxes come back; whatever is still queued goes out with the next alarms.
  t.world.failBefore.clear();
  t.world.failAfter.clear();
  await t.settle();
  await t.room.alarm();
  await t.room.alarm();
  await t.settle();
  return t;
}

describe('delivery under random interleavings and failures', () => {
  beforeEach(() => void vi.spyOn(console, 'warn').mockImplementation(() => {}));

  it('every mailbox ends with each message exactly once, in id order, and getDifference(0) replays it consistently', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(command, { maxLength: 50 }), async (commands) => {
        const { room, world, store } = await run(commands);
        expect(outboxSize(store)).toBe(0);
        const sent = store.exec<{ n: number }>('SELECT COUNT(*) AS n FROM messages')[0]!.n;
        const allIds = Array.from({ length: sent }, (_, i) => i + 1);
        for (const u of MEMBERS) {
          const diff = world.mailbox(u).getDifference(0, 1000);
          const envelopes = diff.kind === 'difference' ? diff.updates : [];
          // A gap-free pts chain from 0.
          let pts = 0;
          for (const e of envelopes) {
            expect(e.pts).toBe(pts + e.pts_count);
            pts = e.pts;
          }
          expect(pts).toBe(world.mailbox(u).state().pts);
          expect(newMessageIds(envelopes.map((e) => e.update))).toEqual(allIds);
          // The dialog the mailbox built agrees with the chat's own view.
          const dialog = world.mailbox(u).getDialog(CHAT_ID)!;
          expect(dialog.unread_count).toBe(room.readHistory(u, 0).still_unread_count);
          expect(dialog.top_message).toEqual(room.getHistory(u, { direction: 'before', limit: 1 })[0] ?? null);
        }
      }),
      { numRuns: 150 },
    );
  });
});
