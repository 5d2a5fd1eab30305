import { closedLoop, type Lane } from '../generator/drive.js';
import { measureAcross } from '../generator/measure.js';
import { ScenarioId, TargetName } from '../lib/types.js';
import { closeAll, setupAll, type ScenarioContext } from './context.js';

/** Members who take turns sending (spreads Edgegram's per-sender rate limit). */
const SENDERS = 10;
/** Messages in flight for the throughput phase. */
const LOADED_WINDOW = 8;

/**
 * Group fan-out: every member online with one socket. First one message at a
 * time (send-to-last-delivery at rest), then LOADED_WINDOW in flight
 * (deliveries per second).
 */
export async function fanOut(ctx: ScenarioContext): Promise<void> {
  const { sizes, tracker } = ctx;
  const scenario = ScenarioId.fanOut;
  for (const n of sizes.fanOutSizes) {
    const contenders = await setupAll(ctx, async (target): Promise<Lane> => {
      const chat = await target.openChat({ devices: Array.from({ length: n }, () => 1) });
      return { senders: chat.members.slice(0, SENDERS).map((m) => m[0]!), expectedFrom: chat.expectedFrom };
    });
    for (const [label, window] of [[`fan-out ${n} idle`, 1], [`fan-out ${n} x${LOADED_WINDOW}`, LOADED_WINDOW]] as const) {
      const phases = await measureAcross(ctx, contenders, (c) => ({ scenario, label, run: (active) => closedLoop(tracker, [c.setup], window, active) }));
      phases.forEach((p) => ctx.report(p));
    }
    await closeAll(ctx);
  }
  if (ctx.contenders.some((c) => c.target.name === TargetName.edgegram)) {
    for (const n of sizes.fanOutUnsupported) {
      ctx.skip({
        scenario,
        target: TargetName.edgegram,
        label: `fan-out ${n}`,
        reason: 'basic groups stop at 200 members (MAX_GROUP_MEMBERS); larger audiences are supergroups, measured by the large-chat scenario (s10)',
      });
    }
  }
}
