import { ErrorCode } from '../../protocol/errors.js';
import type { ChatKind } from '../../protocol/messages.js';
import { shardOf } from '../fanout-shard/shard.js';
import type { Env } from '../env.js';
import { chatRoom, fanoutShard } from '../stubs.js';
import type { Mailbox } from './mailbox.js';

/** Supergroups and channels: the chats whose updates are logged in the chat, not in mailboxes. */
export function isLargeKind(kind: ChatKind): boolean {
  return kind === 'supergroup' || kind === 'channel';
}

/**
 * The account's side of its large chats (supergroups; see
 * chat-room/large.ts). Their updates never enter this mailbox's log: while a
 * device is online the chat's fan-out shards push them here and they go to
 * the devices as `channel_updates` frames (numbered by the chat's pts);
 * offline, nothing is written for this account at all.
 *
 * So when the first device comes online the mailbox (1) asks each large
 * chat for this account's dialog (top message, unread count from the read
 * pointer: the chat checks the membership) and (2) subscribes to the chat's
 * shard for this account. getDialogs waits for (1), so the list is right.
 * A chat joined while online is subscribed to at once.
 */
export class LargeChats {
  private refreshing: Promise<void> = Promise.resolve();
  /**
   * Chats pushed to since their dialog was last asked for: a push writes
   * nothing here (that would be a storage write per online member per
   * message), so getDialogs asks these chats first. `all` after a wake-up,
   * when memory is new.
   */
  private stale: Set<number> | 'all' = 'all';

  constructor(
    private readonly env: Env,
    private readonly userId: number,
    private readonly logic: Mailbox,
  ) {}

  /** The first device came online: refresh every large chat's dialog and subscribe to its pushes. */
  cameOnline(): Promise<void> {
    const chats = this.logic.largeChats();
    this.refreshing = Promise.all(chats.map((chatId) => this.follow(chatId))).then(() => undefined);
    return this.refreshing;
  }

  /** The last device went offline: every large chat's shard forgets this account (best effort; a push would find out too). */
  async wentOffline(): Promise<void> {
    await Promise.allSettled(this.logic.largeChats().map((chatId) => fanoutShard(this.env, chatId, shardOf(this.userId)).unsubscribe(this.userId)));
  }

  /** A `chat` update made this account a member of a large chat while a device is online. */
  joined(chatId: number): Promise<void> {
    return this.follow(chatId);
  }

  /**
   * Resolves once the dialogs of large chats are fresh (getDialogs waits for
   * it): while a device is online they follow the pushes; with none (an HTTP
   * call) each is asked for once, now.
   */
  async ready(online: boolean): Promise<void> {
    if (online) await this.refreshing;
    const stale = this.stale === 'all' || !online ? this.logic.largeChats() : [...this.stale];
    this.stale = new Set();
    await Promise.all(stale.map((chatId) => this.follow(chatId, false)));
  }

  /**
   * Pushed entries of a large chat: sent to every device as they are (the
   * frame the chat serialized once), the dialog marked stale (it is asked
   * for at the next getDialogs; devices keep their lists from the frames).
   * False when nobody is online or the account is not in the chat: the
   * shard then drops the subscription.
   */
  pushed(chatId: number, online: boolean, entries: boolean, send: () => void): boolean {
    if (!online || !this.logic.isMemberOf(chatId)) return false;
    if (entries && this.stale !== 'all') this.stale.add(chatId);
    send();
    return true;
  }

  private async follow(chatId: number, subscribe = true): Promise<void> {
    try {
      const answer = await chatRoom(this.env, chatId).largeDialog(this.userId);
      if (!answer.ok) {
        if (answer.error.code === ErrorCode.NOT_FOUND) this.logic.leftLargeChat(chatId);
        return;
      }
      this.logic.refreshLargeDialog(answer.value);
      if (subscribe) await fanoutShard(this.env, chatId, shardOf(this.userId)).subscribe(this.userId);
    } catch (err) {
      // The device still syncs by getChannelDifference; the next coming online tries again.
      console.warn(JSON.stringify({ event: 'large_chat_follow_failed', user_id: this.userId, chat_id: chatId, error: String(err) }));
    }
  }
}
