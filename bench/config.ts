import type { Sizes } from './lib/types.js';

/**
 * Run sizes. The full run aims at under 15 minutes on an otherwise idle
 * 2-core machine; quick is the smoke-sized version. What sets the floor of
 * both is Edgegram itself: real sign-ups (scrypt, ~0.3 s each on one core),
 * its send rate (generating the missed updates for catch-up), its connect
 * rate, and the ~10 s of idleness after which local workerd hibernates a DO.
 */
export const FULL: Sizes = {
  warmupMs: 300,
  rampMs: 300,
  repMs: 700,
  reps: 3,
  accounts: 220,
  pairs: 32,
  loadLevels: [25, 100],
  ingressSenders: 50,
  fanOutSizes: [10, 100, 200],
  fanOutUnsupported: [1_000],
  smallChats: 500,
  smallChatMembers: [2, 10],
  // Edgegram opens ~100-200 connections/s here (a ticket POST and an upgrade
  // per socket, each through the Worker into the mailbox), so the 10k step
  // takes about a minute of the full run.
  connectionLevels: [1_000, 5_000, 10_000],
  // Edgegram holds a session to 16 sockets and an account to 64: the 10k step
  // needs 625 mailboxes (seeded, so no sign-up cost); the peers get as many rooms.
  connectionOwners: 640,
  hibernateWaitMs: 12_000,
  catchUpUpdates: 10_000,
  catchUpSenders: 40,
  stormMissedPerChat: 2,
  // 256 MiB (32 parts of 8 MiB), 3 repetitions: what fits in the 15 minutes.
  // The largest file Edgegram takes, 2 GiB, is `--only=media --media-size=2GiB
  // --media-reps=1` (~13 min on its own).
  mediaBytes: 256 * 1024 ** 2,
  mediaReps: 3,
  // 20 senders at 30 sends/s each after their burst of 100: about 10 s to write.
  searchMessages: 5_000,
  searchSenders: 20,
  largeChatSizes: [2, 200, 10_000, 200_000],
  largeChatOnline: 1_000,
  largeChatCatchUp: 10_000,
};

/**
 * About a minute: every scenario on every peer at small sizes, 3
 * repetitions after a short warm-up, windows of a few hundred ms (each
 * still at least 4 × the target's own p99, bench/generator/measure.ts).
 */
export const QUICK: Sizes = {
  warmupMs: 150,
  rampMs: 100,
  repMs: 250,
  reps: 3,
  accounts: 16,
  pairs: 4,
  loadLevels: [50],
  ingressSenders: 8,
  fanOutSizes: [10],
  fanOutUnsupported: [1_000],
  smallChats: 12,
  smallChatMembers: [2, 10],
  connectionLevels: [500],
  connectionOwners: 40,
  hibernateWaitMs: 11_000,
  catchUpUpdates: 500,
  catchUpSenders: 5,
  stormMissedPerChat: 2,
  mediaBytes: 16 * 1024 ** 2,
  mediaReps: 3,
  searchMessages: 400,
  searchSenders: 4,
  largeChatSizes: [2, 200, 2_000],
  largeChatOnline: 100,
  largeChatCatchUp: 500,
};
