import type { User } from '../../protocol/common.js';
import type { Dialog } from '../../protocol/messages.js';
import type { MethodResult } from '../../protocol/methods.js';
import type { SyncState } from '../../protocol/updates.js';
import type { Env } from '../../durable-objects/env.js';
import type { AccountJob } from '../../durable-objects/user-mailbox/account-jobs.js';

/** Who is calling: established by the session, never claimed by the client. */
export type Caller = { userId: number; sessionId: string; deviceId: string };

/**
 * The caller's own mailbox. Inside the UserMailbox DO (WebSocket calls) it is
 * the local logic; in the Worker (HTTP calls) it is the DO stub.
 */
export interface OwnMailbox {
  getState(): Promise<SyncState>;
  getDifference(pts: number, limit?: number): Promise<MethodResult<'getDifference'>>;
  getDialogs(options: { offsetDate?: number; offsetChatId?: number; limit?: number }): Promise<Dialog[]>;
  /** Tells this account's devices and its chat peers of its new profile (see UserMailbox.announceProfile). */
  announceProfile(user: User): Promise<void>;
  /** Tells this account's private-chat peers the status its new "last seen" rule lets each see. */
  announcePresenceRule(): Promise<void>;
  /** The private chat with `peerId` this account is in, from its own dialogs; undefined if none yet. */
  privateChatWith(peerId: number): Promise<number | undefined>;
  /** Keeps this account's own copy of its block list (presence is not told to whom it blocked). */
  setBlocked(peerId: number, blocked: boolean): Promise<void>;
  /** Closes the sockets of these (already deleted) sessions of this account, as logout does. */
  closeSessions(sessionIds: string[]): Promise<void>;
  /** Arms one of this account's jobs (its deletion, its data export) for `at` (durable-objects/user-mailbox/account-jobs.ts). */
  scheduleAccountJob(job: AccountJob, at: number): Promise<void>;
  /** Moves a message request into the main chat list (nothing if the chat is none); tells this account's devices. */
  acceptMessageRequest(chatId: number): Promise<void>;
}

export type CallContext = {
  env: Env;
  caller: Caller;
  own: OwnMailbox;
  now: () => number;
};
