import type { ChatRoom } from './chat-room/index.js';
import type { FanoutShard } from './fanout-shard/index.js';
import type { FileReaper } from './file-reaper/index.js';
import type { UserMailbox } from './user-mailbox/index.js';

/** The bindings declared in wrangler.toml. */
export interface Env {
  DB: D1Database;
  MEDIA: R2Bucket;
  ASSETS: Fetcher;
  CHAT_ROOM: DurableObjectNamespace<ChatRoom>;
  USER_MAILBOX: DurableObjectNamespace<UserMailbox>;
  FILE_REAPER: DurableObjectNamespace<FileReaper>;
  FANOUT_SHARD: DurableObjectNamespace<FanoutShard>;
  /** Comma-separated browser origins allowed to connect. */
  ALLOWED_ORIGINS: string;
  /** Upload part size in bytes (5-64 MiB); unset means 8 MiB. Tests use R2's 5 MiB minimum. */
  MEDIA_PART_SIZE?: string;
  /**
   * "1" lets bots' webhooks point at loopback (a bot author's own machine).
   * Set only by `npm start` from EDGEGRAM_DEV_LOCAL_WEBHOOKS=1; never in
   * wrangler.toml (a test checks), so never in a deployment.
   */
  LOCAL_WEBHOOKS_FOR_DEVELOPMENT?: string;
  /**
   * The request header that carries the client's address, as the platform in
   * front of the Worker sets it: `cf-connecting-ip` behind Cloudflare
   * (wrangler.toml), where a client cannot forge it. `npm start` clears it:
   * there anyone can send that header, so no header is believed and every
   * local client counts as one address.
   */
  CLIENT_IP_HEADER?: string;
  /**
   * "1" mounts the local-only seeding route (`POST /v1/dev/seed-chat`: a
   * supergroup with N members in bulk, for tests and the bench). Set only by
   * `npm start`/the test servers from EDGEGRAM_DEV_SEEDING=1; never in
   * wrangler.toml, so no deployment has the route.
   */
  DEV_SEEDING?: string;
  /**
   * Milliseconds between deleteAccount and the deletion (services/account-lifecycle/deletion.ts);
   * unset: 7 days. Test servers set it short.
   */
  ACCOUNT_DELETION_GRACE_MS?: string;
  /** Milliseconds a data export's link (and archive) lasts; unset: 24 hours. */
  DATA_EXPORT_LINK_TTL_MS?: string;
  /** Milliseconds between two data exports of one account; unset: 24 hours. */
  DATA_EXPORT_INTERVAL_MS?: string;
  /** Bearer token of the operator routes (`GET /operator/reports`); unset: those routes answer 404. */
  OPERATOR_TOKEN?: string;
}
