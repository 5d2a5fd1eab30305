import { closedLoop, type Lane } from '../generator/drive.js';
import { measureAcross } from '../generator/measure.js';
import { ScenarioId } from '../lib/types.js';
import { inParallel } from '../targets/target.js';
import { closeAll, range, setupAll, type ScenarioContext } from './context.js';

/** A small deterministic PRNG (mulberry32), so every target gets the same chats. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` chats of min..max distinct members drawn from a population of `population`. */
export function smallChatMembers(count: number, [min, max]: [number, number], population: number): number[][] {
  const rnd = random(7);
  return range(count).map(() => {
    const size = Math.min(population, min + Math.floor(rnd() * (max - min + 1)));
    const members = new Set<number>();
    while (members.size < size) members.add(Math.floor(rnd() * population));
    return [...members];
  });
}

/**
 * Many small chats in parallel: each chat keeps one message in flight, its
 * members taking turns to send. Members come from one population (Edgegram:
 * the account pool, one socket per account shared by all its chats).
 */
export async function smallChats(ctx: ScenarioContext): Promise<void> {
  const { sizes, tracker } = ctx;
  const specs = smallChatMembers(sizes.smallChats, sizes.smallChatMembers, sizes.accounts);
  const memberships = specs.reduce((n, s) => n + s.length, 0);
  const contenders = await setupAll(ctx, async (target) => {
    const chats = await inParallel(specs, 8, (memberIds) => target.openChat({ devices: memberIds.map(() => 1), shared: true, memberIds }));
    return chats.map((chat): Lane => ({ senders: chat.members.map((m) => m[0]!), expectedFrom: chat.expectedFrom }));
  });
  const phases = await measureAcross(ctx, contenders, (c) => ({
    scenario: ScenarioId.smallChats,
    label: `${specs.length} chats (${memberships} members)`,
    run: (active) => closedLoop(tracker, c.setup, 1, active),
  }));
  phases.forEach((p) => ctx.report(p));
  await closeAll(ctx);
}
