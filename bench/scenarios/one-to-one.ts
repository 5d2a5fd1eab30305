import { closedLoop, openLoop, sequential, type Active, type Lane } from '../generator/drive.js';
import { measureAcross } from '../generator/measure.js';
import { ScenarioId } from '../lib/types.js';
import { inParallel } from '../targets/target.js';
import { closeAll, range, setupAll, type ScenarioContext } from './context.js';

/** Messages each pair keeps in flight for the ceiling. */
const CEILING_WINDOW = 4;

/**
 * 1:1 — a sends on one device; delivered on the peer and on the sender's
 * other device (a: two devices, b: one). Pairs alternate who sends, and
 * pairs take turns, which keeps each sender under Edgegram's per-sender rate
 * limit. Idle (one message at a time), then rising offered load, then the
 * closed-loop ceiling.
 */
export async function oneToOne(ctx: ScenarioContext): Promise<void> {
  const { sizes, tracker } = ctx;
  const scenario = ScenarioId.oneToOne;
  const contenders = await setupAll(ctx, async (target) => {
    const chats = await inParallel(range(sizes.pairs), 4, () => target.openChat({ devices: [2, 1] }));
    return chats.map((chat): Lane => ({ senders: [chat.members[0]![0]!, chat.members[1]![0]!], expectedFrom: chat.expectedFrom }));
  });
  const phase = async (label: string, run: (lanes: Lane[], active: Active) => Promise<void>) => {
    for (const p of await measureAcross(ctx, contenders, (c) => ({ scenario, label, run: (active) => run(c.setup, active) }))) ctx.report(p);
  };
  await phase('1:1 idle', (lanes, active) => sequential(tracker, lanes, active));
  for (const rate of sizes.loadLevels) await phase(`1:1 offered ${rate}/s`, (lanes, active) => openLoop(tracker, lanes, rate, active));
  await phase(`1:1 ceiling ${sizes.pairs}x${CEILING_WINDOW}`, (lanes, active) => closedLoop(tracker, lanes, CEILING_WINDOW, active));
  await closeAll(ctx);
}
