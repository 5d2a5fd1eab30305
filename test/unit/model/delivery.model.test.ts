/**
 * Model-based property test of ChatRoom + UserMailbox + the SDK's sync engine.
 *
 * Two real ChatRoomLogic objects (a group and a private chat), one real
 * Mailbox per account (4 accounts, each over its own SQLite store) and 1-2
 * devices per account, each running the SDK's SyncRunner/SyncEngine against
 * its mailbox. fast-check drives random sequences of:
 *   - client verbs: send, retry with the same random_id (often after a lost
 *     ack), edit, delete for me / for everyone, read, join, leave, remove;
 *   - devices: disconnect, reconnect (resync with getDifference from the
 *     device's pts), sync on a live socket, the mailbox answering a request,
 *     the device reading frames, a push lost on the wire;
 *   - faults: each ChatRoom→mailbox RPC ends when and how the model says
 *     (ok, failed before applying, applied with the ack lost); the next
 *     commit of a room or mailbox aborted after its writes
 *     (MemorySqlStore.failNextCommit); a room crashing (in-memory state and
 *     drains lost, storage and alarm kept); the alarm firing at random
 *     points, and run twice.
 * Then the system converges: the RPCs in flight complete (the first few
 * still failing), alarms fire only while one is set, as on the platform,
 * every device syncs to the end, and the run must satisfy the history
 * checker (test/support/history-checker.ts) plus: each device's pts equals
 * its mailbox's; each steady member's devices show exactly what getHistory
 * returns; dialogs agree with the chat; a departed member gets nothing after
 * its departure; no outbox row is left, and none was ever left without an
 * alarm; the D1 index mirrors the members; no background work failed.
 *
 * A member who left is never re-added in the model: the checker wants each
 * device's ids contiguous per chat, which a re-joined member cannot have.
 *
 * Runs: 25 in `npm test`, 100 in `npm run test:soak`, 2,000 with
 * EDGEGRAM_LONG=1 (test/support/suite-size.ts). The seed is the
 * run's (test/support/seed.ts). On failure fast-check prints the seed and
 * path; replay one with
 * EDGEGRAM_FUZZ_SEED=<seed> EDGEGRAM_FUZZ_PATH=<path> npx vitest run --project unit test/unit/model
 */
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { checkHistory } from '../../support/history-checker.js';
import { sized, suiteSize } from '../../support/suite-size.js';
import { command, execute, outcome } from './commands.js';
import { extraViolations, quiesce } from './finish.js';
import { isInjected } from './room.js';
import { World } from './world.js';

const SIZE = suiteSize(process.env);
const NUM_RUNS = sized(SIZE, { quick: 25, soak: 100, long: 2_000 });
const replay = process.env.EDGEGRAM_FUZZ_PATH ? { path: process.env.EDGEGRAM_FUZZ_PATH } : {};

const scenario = fc.record({
  devices: fc.array(fc.integer({ min: 1, max: 2 }), { minLength: 4, maxLength: 4 }),
  pageSize: fc.integer({ min: 1, max: 5 }),
  commands: fc.array(command, { minLength: 1, maxLength: 150, size: 'max' }),
  /** How the first RPCs of the final drain end: the alarm must recover from these on its own. */
  lastFaults: fc.array(outcome, { maxLength: 12 }),
});

describe('chat rooms, mailboxes and devices under random faults', () => {
  /** console.error is how background work reports a failure; only a crashed object's may fail. */
  let backgroundErrors: unknown[][] = [];
  beforeEach(() => {
    backgroundErrors = [];
    vi.spyOn(console, 'warn').mockImplementation(() => {});
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      if (!args.some(isInjected)) backgroundErrors.push(args);
    });
  });
  afterEach(() => void vi.restoreAllMocks());

  it(
    'no acked message is lost or duplicated, every device converges gap-free to its mailbox and to getHistory',
    async () => {
      await fc.assert(
        fc.asyncProperty(scenario, async ({ devices, pageSize, commands, lastFaults }) => {
          backgroundErrors = [];
          const world = new World({ devices, pageSize });
          for (const c of commands) await execute(world, c);
          const stranded = await quiesce(world, lastFaults);
          expect(checkHistory(world.recordedRun())).toEqual([]);
          expect([...stranded, ...extraViolations(world)]).toEqual([]);
          expect(backgroundErrors).toEqual([]);
        }),
        { numRuns: NUM_RUNS, ...replay },
      );
    },
    SIZE === 'long' ? 3_600_000 : 300_000,
  );
});
