import { closedLoop, type Lane } from '../generator/drive.js';
import { measureAcross } from '../generator/measure.js';
import { ScenarioId } from '../lib/types.js';
import { closeAll, setupAll, type ScenarioContext } from './context.js';

/** Messages each sender keeps in flight. */
const PER_SENDER = 2;

/**
 * One chat's ingress: a group whose every member sends, each keeping a
 * couple of messages in flight. Counted: acknowledged sends per second (an
 * ack leaves only after the message is durable). Fan-out to the members runs
 * too, as it would in production.
 */
export async function ingress(ctx: ScenarioContext): Promise<void> {
  const { sizes, tracker } = ctx;
  const n = sizes.ingressSenders;
  const contenders = await setupAll(ctx, async (target): Promise<Lane> => {
    const chat = await target.openChat({ devices: Array.from({ length: n }, () => 1) });
    return { senders: chat.members.map((m) => m[0]!), expectedFrom: chat.expectedFrom };
  });
  const phases = await measureAcross(ctx, contenders, (c) => ({
    scenario: ScenarioId.ingress,
    label: `ingress ${n} senders`,
    unit: 'acked sends/s',
    run: (active) => closedLoop(tracker, [c.setup], n * PER_SENDER, active),
    throughput: (rep) => (rep.acks / rep.wallMs) * 1000,
  }));
  phases.forEach((p) => ctx.report(p));
  await closeAll(ctx);
}
