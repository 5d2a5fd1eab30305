import type { Sizes } from './lib/types.js';

/**
 * Run sizes. The full run aims at under 15 minutes on an otherwise idle
 * 2-core machine; quick is the smoke-sized version. What sets the floor of
 * both is Edgegram itself: real sign-ups (scrypt, ~0.3 s each on one core),
 * its send rate (generating the missed updates for catch-up), its connect
 * rate, and the ~10 s of idleness after which local workerd hibernates a DO.
 */
export const FULL: Sizes = {
  warmupMs: 500,
  rampMs: 500,
  repMs: 1_000,
  reps: 3,
  accounts: 220,
  pairs: 32,
  loadLevels: [20, 50, 100],
  ingressSenders: 50,
  fanOutSizes: [10, 100, 200],
  fanOutUnsupported: [1_000],
  smallChats: 500,
  smallChatMembers: [2, 10],
  // Edgegram opens ~100-200 connections/s here (a ticket POST and an upgrade
  // per socket, each through the Worker into the mailbox), so the 10k step
  // takes about a minute of the full run.
  connectionLevels: [1_000, 5_000, 10_000],
  connectionOwners: 50,
  hibernateWaitMs: 12_000,
  catchUpUpdates: 10_000,
  catchUpSenders: 40,
  stormMissedPerChat: 2,
  // The largest file Edgegram takes: 2 GiB, 256 parts of 8 MiB.
  mediaBytes: 2 * 1024 ** 3,
  mediaReps: 1,
};

export const QUICK: Sizes = {
  warmupMs: 250,
  rampMs: 300,
  repMs: 500,
  reps: 3,
  accounts: 24,
  pairs: 6,
  loadLevels: [50],
  ingressSenders: 12,
  fanOutSizes: [10],
  fanOutUnsupported: [1_000],
  smallChats: 12,
  smallChatMembers: [2, 10],
  connectionLevels: [1_000],
  connectionOwners: 10,
  hibernateWaitMs: 11_000,
  catchUpUpdates: 1_000,
  catchUpSenders: 10,
  stormMissedPerChat: 2,
  mediaBytes: 200 * 1024 ** 2,
  mediaReps: 3,
};
