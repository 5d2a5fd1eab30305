import type { ProfileSummary } from './profile.js';
import type { Percentiles, Summary } from './stats.js';

/** The systems under test: Edgegram and its peers (a)-(d). */
export const TargetName = {
  edgegram: 'edgegram',
  /** (a) the runtime's limit: a minimal DO in the same workerd. */
  minimal: 'a:minimal-do',
  /** (b) a plain Node `ws` broadcast server. */
  nodeWs: 'b:node-ws',
  /** (c) a Socket.IO chat server with rooms. */
  socketIo: 'c:socket.io',
  /** (d) Bun's built-in WebSocket pub/sub. */
  bun: 'd:bun',
} as const;
export type TargetName = (typeof TargetName)[keyof typeof TargetName];

export const ScenarioId = {
  oneToOne: 's1-one-to-one',
  ingress: 's2-ingress',
  fanOut: 's3-fan-out',
  smallChats: 's4-small-chats',
  connections: 's5-connections',
  catchUp: 's6-catch-up',
  reconnect: 's7-reconnect-storm',
  /** A large file up and down: Edgegram's multipart upload and signed-link download against plain R2 in the same workerd. */
  media: 's8-media',
  /** Message search in one large chat, against a history page of the same chat. */
  search: 's9-search',
  /** Supergroups of 2 … 200,000 members (seeded) with the same online audience: sender's ack, delivery, CPU and work per message, catch-up. */
  largeChats: 's10-large-chats',
} as const;
export type ScenarioId = (typeof ScenarioId)[keyof typeof ScenarioId];

/** Every size and duration a run uses; `--quick` scales them down (bench/config.ts). */
export type Sizes = {
  warmupMs: number;
  /** Load runs this long before each repetition's window opens (pipelines fill; steady state). */
  rampMs: number;
  repMs: number;
  reps: number;
  /** Accounts Edgegram signs up before the scenarios (a real scrypt sign-up each). */
  accounts: number;
  pairs: number;
  /** Offered 1:1 loads, messages per second, after the idle and before the ceiling phase. */
  loadLevels: number[];
  ingressSenders: number;
  fanOutSizes: number[];
  /** Recorded as "not supported yet" for Edgegram (basic groups stop at 200). */
  fanOutUnsupported: number[];
  smallChats: number;
  smallChatMembers: [number, number];
  connectionLevels: number[];
  /** Accounts (Edgegram mailboxes) or rooms the idle connections are spread over. */
  connectionOwners: number;
  /** Idle time before reading memory: local workerd hibernates a DO after ~10 s without events. */
  hibernateWaitMs: number;
  catchUpUpdates: number;
  catchUpSenders: number;
  stormMissedPerChat: number;
  /** The media scenario's file size in bytes (Edgegram allows up to 2 GiB). */
  mediaBytes: number;
  /** Repetitions of each media transfer (each a full file, each one's bytes different). */
  mediaReps: number;
  /** The search scenario's chat: this many messages, from this many senders. */
  searchMessages: number;
  searchSenders: number;
  /** The large-chat scenario's supergroups: members each (seeded in bulk through the local-only route). */
  largeChatSizes: number[];
  /** Members of each with a socket online (all of a smaller chat). */
  largeChatOnline: number;
  /** Messages the catch-up phase leaves a member to replay with getChannelDifference, in the largest chat. */
  largeChatCatchUp: number;
};

/** One repetition of one phase, as the generator measured it. */
export type Rep = {
  wallMs: number;
  sends: number;
  acks: number;
  deliveries: number;
  errors: number;
  errorCodes: Record<string, number>;
  serverCpuUs: number;
  /** Bytes the server wrote to disk during the repetition. */
  serverWriteBytes: number;
  generatorCpuShare: number;
  /** Per delivery: send → arrival on each receiving socket. */
  latency: Percentiles;
  /** Per message: send → arrival on its last receiving socket. */
  lastLatency: Percentiles;
  ackLatency: Percentiles;
  /** Scenario-specific numbers (bytes, connections, RSS …). */
  extra: Record<string, number>;
};

/** One measured phase (a scenario at one size or load) for one target. */
export type Phase = {
  scenario: ScenarioId;
  target: TargetName;
  label: string;
  /** What `throughput` counts: deliveries/s, acks/s, connections … */
  unit: string;
  reps: Rep[];
  summary: {
    throughput: Summary;
    p50: Summary;
    p99: Summary;
    p999: Summary;
    lastP99: Summary;
    cpuPerDelivery: Summary;
    writeKiBPerDelivery: Summary;
    generatorCpu: Summary;
    errors: number;
    extra: Record<string, Summary>;
  };
  /** The generator used more than ~85% of its core in some repetition: the numbers may be the client's limit. */
  generatorSaturated: boolean;
  notes: string[];
  /** With --profile: where the server's JavaScript time went during the measured repetitions. */
  profile?: ProfileSummary;
};

/** A phase that was not run, and why. */
export type Skipped = { scenario: ScenarioId; target: TargetName | 'all'; label: string; reason: string };

/** A running server the generator drives. */
export type PlannedTarget = { name: TargetName; url: string; serverPid: number };

/** What the orchestrator hands a generator process. */
export type GeneratorPlan = {
  targets: PlannedTarget[];
  /** In order; each on the listed targets, their repetitions interleaved. */
  scenarios: { id: ScenarioId; targets: TargetName[] }[];
  sizes: Sizes;
  runId: string;
  /** Edgegram accounts to sign up before the scenarios. */
  accounts: number;
  /**
   * Idle connections (scenario 5) on servers of their own, opened level by
   * level between the scenarios above so their hibernation waits overlap
   * them (bench/scenarios/connections.ts); `accounts`: Edgegram's mailboxes.
   */
  idle?: { targets: PlannedTarget[]; accounts: number };
  /** --profile: the inspector to profile the server through, and its bundle (to name modules). */
  profile?: { inspector: string; worker: string; bundle: string; dir: string };
};

/** Generator → orchestrator. */
export type GeneratorMessage =
  | { type: 'phase'; phase: Phase }
  | { type: 'skipped'; skipped: Skipped }
  | { type: 'log'; text: string }
  | { type: 'done'; setup: Record<string, number> }
  | { type: 'failed'; error: string };
