import type { Sock } from '../targets/target.js';
import type { Tracker } from './tracker.js';

/** Where messages come from: senders taking turns, and how many deliveries each message should make. */
export type Lane = { senders: Sock[]; expectedFrom: (sender: Sock) => number };

/** How long to wait for stragglers after the load stops before counting them as undelivered. */
const DRAIN_MS = 15_000;

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function sendOne(tracker: Tracker, lane: Lane, turn: number): Promise<void> {
  const sender = lane.senders[turn % lane.senders.length]!;
  const tag = tracker.nextTag();
  return new Promise<void>((done) => {
    tracker.expect(tag, sender.id, lane.expectedFrom(sender), done);
    sender.send(tag);
  });
}

async function drain(tracker: Tracker, work: Promise<unknown>): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((r) => (timer = setTimeout(r, DRAIN_MS)));
  await Promise.race([work, timeout]);
  clearTimeout(timer);
  tracker.abandonAll();
  await work;
}

/** Load keeps being offered while this says so (the measurement decides when to stop). */
export type Active = () => boolean;

/** Polls `active` so a driver notices the stop even while nothing completes. */
async function whileActive(active: Active): Promise<void> {
  while (active()) await sleep(5);
}

/**
 * Closed loop: each lane keeps `window` messages in flight; a message is
 * replaced once it is acknowledged and delivered everywhere.
 */
export async function closedLoop(tracker: Tracker, lanes: Lane[], window: number, active: Active): Promise<void> {
  const slot = async (lane: Lane, offset: number) => {
    for (let turn = offset; active(); turn += window) await sendOne(tracker, lane, turn);
  };
  const slots = lanes.flatMap((lane) => Array.from({ length: window }, (_, k) => slot(lane, k)));
  const all = Promise.all(slots);
  await Promise.race([all, whileActive(active)]);
  await drain(tracker, all);
}

/**
 * One message at a time, lanes (and each lane's senders) taking turns: the
 * latency at rest, spread over every sender so none meets a per-sender rate
 * limit.
 */
export async function sequential(tracker: Tracker, lanes: Lane[], active: Active, pacing: { minGapMs?: number; restFactor?: number } = {}): Promise<void> {
  for (let k = 0; active(); k++) {
    const started = performance.now();
    await sendOne(tracker, lanes[k % lanes.length]!, Math.floor(k / lanes.length));
    const took = performance.now() - started;
    // minGapMs: a chat with few senders would otherwise run into their per-sender rate.
    // restFactor: the server gets that many times the message's own time to finish its trailing
    // work (the last socket has its copy before the server is done), so the next one meets it at rest.
    const rest = Math.max((pacing.minGapMs ?? 0) - took, (pacing.restFactor ?? 0) * took);
    if (rest > 0) await sleep(rest);
  }
}

/** An open loop stops offering once this many seconds of its rate are unanswered. */
const MAX_BACKLOG_S = 1;

/**
 * Open loop: `rate` messages per second in total, lanes taking turns,
 * whatever the replies do — up to MAX_BACKLOG_S of unanswered messages;
 * beyond that a due message is shed (counted as the error SHED), so a server
 * past its capacity shows as lower throughput and errors, not as an
 * unbounded queue to drain.
 */
export async function openLoop(tracker: Tracker, lanes: Lane[], rate: number, active: Active): Promise<void> {
  const started = performance.now();
  const inFlight: Promise<void>[] = [];
  const maxBacklog = Math.max(1, rate * MAX_BACKLOG_S);
  let sent = 0;
  while (active()) {
    const due = Math.floor(((performance.now() - started) * rate) / 1000);
    for (; sent < due; sent++) {
      if (tracker.inFlight >= maxBacklog) {
        tracker.window.error('SHED');
        continue;
      }
      const lane = lanes[sent % lanes.length]!;
      inFlight.push(sendOne(tracker, lane, Math.floor(sent / lanes.length)));
    }
    await sleep(2);
  }
  await drain(tracker, Promise.all(inFlight));
}
