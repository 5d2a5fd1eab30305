import { fail } from '../../protocol/errors.js';
import type { Chat, ChatMember, Entity, Message } from '../../protocol/messages.js';
import { HISTORY_PAGE_LIMIT } from '../../protocol/methods.js';
import { migrate } from '../sql/migrate.js';
import type { SqlStore } from '../sql/store.js';
import type { ReplyMarkup } from '../../protocol/keyboards.js';
import type { MessageReactions } from '../../protocol/reactions.js';
import type { ChatInviteLink, ChatInvitePreview } from '../../protocol/invites.js';
import type { ChatRoomApi, ChatSnapshot, ChatSpec, HistoryQuery, SendInput } from './api.js';
import type { BotMember } from './bots.js';
import { sendAlbum } from './album.js';
import { checkMayPost, getViews } from './channels.js';
import { searchRows } from './search.js';
import * as invites from './invites.js';
import * as membership from './membership.js';
import * as messages from './messages.js';
import * as moderation from './moderation.js';
import { chatRoomMigrations } from './migrations.js';
import { setReactions, withReactions } from './reactions.js';
import { withReplies } from './threads.js';
import { checkMaySend, chatMemberOf, restrict, type Permissions } from './restrictions.js';
import { Outbox, type AlarmScheduler, type Background, type ChatTransport } from './outbox.js';
import { TokenBucket, TypingLimiter } from './rate-limit.js';
import { historyPage, memberRows, requireMember, toChat, toMessage, visibleMessages } from './state.js';
import type { RoomContext } from './writer.js';

export type { AlarmScheduler, ChatTransport } from './outbox.js';

export type RoomLimits = {
  /** Sustained sends per second per sender. */
  sendsPerSecond: number;
  /** Sends a sender may make at once after being idle. */
  sendBurst: number;
  /** Minimum gap between typing notices from one user. */
  typingIntervalMs: number;
};

export const DEFAULT_LIMITS: RoomLimits = { sendsPerSecond: 30, sendBurst: 100, typingIntervalMs: 1_000 };

export type ChatRoomDeps = {
  now: () => number;
  transport: ChatTransport;
  scheduler: AlarmScheduler;
  /** Keeps fan-out alive past the response (ctx.waitUntil); default: fire and forget. */
  background?: Background;
  limits?: Partial<RoomLimits>;
};

/**
 * One chat: its members and rights, its gapless message log, its event
 * sequence, and the outbox that carries each event to every recipient's
 * mailbox. Plain logic over a SqlStore; the ChatRoom DO only adapts it.
 * Writes are in messages.ts and membership.ts, one function per verb.
 */
export class ChatRoomLogic implements ChatRoomApi {
  private readonly ctx: RoomContext;
  private readonly outbox: Outbox;
  private readonly sends: TokenBucket;
  private readonly typing: TypingLimiter;

  constructor(
    private readonly store: SqlStore,
    private readonly deps: ChatRoomDeps,
  ) {
    migrate(store, chatRoomMigrations);
    const limits = { ...DEFAULT_LIMITS, ...deps.limits };
    this.outbox = new Outbox(store, deps.transport, deps.scheduler, deps.now, deps.background ?? (() => {}));
    this.ctx = { store, outbox: this.outbox, now: deps.now };
    this.sends = new TokenBucket(limits.sendsPerSecond, limits.sendBurst, deps.now);
    this.typing = new TypingLimiter(limits.typingIntervalMs, deps.now);
  }

  init(spec: ChatSpec): Chat {
    return membership.init(this.ctx, spec);
  }

  sendMessage(senderId: number, input: SendInput): Message {
    return messages.sendMessage(this.ctx, senderId, input, () => this.checkSend(senderId, input.media !== undefined));
  }

  sendAlbum(senderId: number, items: SendInput[]): Message[] {
    return sendAlbum(this.ctx, senderId, items, () => this.checkSend(senderId, true));
  }

  /** After the idempotency look-up (a retry of a committed send is answered even if restricted since): posting rights, restrictions, then the rate. */
  private checkSend(senderId: number, withMedia: boolean): void {
    const { chat, member } = requireMember(this.store, senderId);
    checkMayPost(chat, member);
    checkMaySend(this.store, senderId, withMedia, this.deps.now());
    this.takeSendToken(senderId);
  }

  private takeSendToken(senderId: number): void {
    const wait = this.sends.take(senderId);
    if (wait > 0) throw fail.rateLimited(wait);
  }

  editMessage(userId: number, id: number, text: string, entities: Entity[] | undefined, markup?: ReplyMarkup | null): Message {
    return messages.editMessage(this.ctx, userId, id, text, entities, markup);
  }

  editReplyMarkup(userId: number, id: number, markup: ReplyMarkup | null): Message {
    return messages.editReplyMarkup(this.ctx, userId, id, markup);
  }

  deleteMessages(userId: number, ids: number[], forEveryone: boolean): void {
    messages.deleteMessages(this.ctx, userId, ids, forEveryone);
  }

  readHistory(userId: number, maxId: number): { still_unread_count: number } {
    return messages.readHistory(this.ctx, userId, maxId);
  }

  /**
   * Ascending ids either way. `before`: the page just below offset_id (or the
   * newest page without one); `after`: the page just above it. A member who
   * left or was removed reads nothing more (NOT_FOUND), like any non-member.
   */
  getHistory(userId: number, query: HistoryQuery): Message[] {
    const { chat } = requireMember(this.store, userId);
    const limit = Math.max(1, Math.min(HISTORY_PAGE_LIMIT, Math.floor(query.limit) || 1));
    const page = historyPage(this.store, userId, query.offset_id, query.direction, limit, query.thread_id);
    return this.#decorated(userId, page.map((r) => toMessage(chat.id, r, userId)));
  }

  /** The member's visible messages matching a typed query, newest first (see ./search.ts). */
  search(userId: number, query: string, offsetId: number | undefined, limit: number): Message[] {
    const { chat } = requireMember(this.store, userId);
    const capped = Math.max(1, Math.min(HISTORY_PAGE_LIMIT, Math.floor(limit) || 1));
    const rows = searchRows(this.store, userId, query, offsetId, capped);
    return this.#decorated(userId, rows.map((r) => toMessage(chat.id, r, userId)));
  }

  /** The visible ones among `ids`, ascending; unknown, deleted and hidden ids are left out. */
  getMessages(userId: number, ids: number[]): Message[] {
    const { chat } = requireMember(this.store, userId);
    return this.#decorated(userId, visibleMessages(this.store, userId, ids).map((r) => toMessage(chat.id, r, userId)));
  }

  /** What history reads add to stored messages: reactions as the reader sees them, and thread roots' replies. */
  #decorated(userId: number, messages: Message[]): Message[] {
    return withReplies(this.store, userId, withReactions(this.store, userId, messages));
  }

  getChat(userId: number): ChatSnapshot {
    const { chat } = requireMember(this.store, userId);
    const members = memberRows(this.store);
    const now = this.deps.now();
    const snapshot = toChat(chat, members, userId);
    // A channel's subscribers see its managers and themselves only (see toChat); its managers see everyone.
    const isManager = members.some((m) => m.user_id === userId && m.role !== 'member');
    const shown = isManager ? members : members.filter((m) => snapshot.member_ids.includes(m.user_id));
    return { chat: snapshot, members: shown.map((m) => chatMemberOf(this.store, m, now)) };
  }

  getViews(userId: number, ids: number[], increment: boolean): { id: number; views: number }[] {
    return getViews(this.ctx, userId, ids, increment);
  }

  /** Ephemeral: pushed to the other members' online devices, never stored. */
  setTyping(userId: number, action: 'typing' | 'cancel'): void {
    const { chat } = requireMember(this.store, userId);
    // Nobody is shown typing in a channel: posts appear as the channel's.
    if (chat.kind === 'channel') return;
    if (!this.typing.allow(userId, action)) throw fail.rateLimited(1);
    const others = memberRows(this.store)
      .map((m) => m.user_id)
      .filter((id) => id !== userId);
    if (others.length === 0) return;
    this.outbox.track(this.deps.transport.pushEphemeral(others, { type: 'typing', chat_id: chat.id, user_id: userId, action }));
  }

  addMember(actorId: number, userId: number, bot?: BotMember): Chat {
    return membership.addMember(this.ctx, actorId, userId, bot);
  }

  removeMember(actorId: number, userId: number): Chat {
    return membership.removeMember(this.ctx, actorId, userId);
  }

  leave(userId: number): void {
    membership.leave(this.ctx, userId);
  }

  editTitle(actorId: number, title: string): Chat {
    return membership.editTitle(this.ctx, actorId, title);
  }

  setAdmin(actorId: number, userId: number, isAdmin: boolean): Chat {
    return membership.setAdmin(this.ctx, actorId, userId, isAdmin);
  }

  ban(actorId: number, userId: number, untilMs: number | null): void {
    moderation.ban(this.ctx, actorId, userId, untilMs);
  }

  unban(actorId: number, userId: number, onlyIfBanned: boolean): void {
    moderation.unban(this.ctx, actorId, userId, onlyIfBanned);
  }

  pin(actorId: number, messageId: number): Chat {
    return moderation.pin(this.ctx, actorId, messageId);
  }

  unpin(actorId: number, messageId: number | undefined): Chat {
    return moderation.unpin(this.ctx, actorId, messageId);
  }

  setReactions(userId: number, messageId: number, reaction: string[]): MessageReactions {
    return setReactions(this.ctx, userId, messageId, reaction, () => this.takeSendToken(userId));
  }

  restrict(actorId: number, userId: number, permissions: Permissions, untilMs: number | null): ChatMember {
    return restrict(this.ctx, actorId, userId, permissions, untilMs);
  }

  createInvite(actorId: number, input: invites.NewInvite): ChatInviteLink {
    return invites.createInvite(this.ctx, actorId, input);
  }

  listInvites(actorId: number): ChatInviteLink[] {
    return invites.listInvites(this.ctx, actorId);
  }

  revokeInvite(actorId: number, linkId: number): ChatInviteLink {
    return invites.revokeInvite(this.ctx, actorId, linkId);
  }

  previewInvite(userId: number, tokenHash: string): ChatInvitePreview {
    return invites.previewInvite(this.ctx, userId, tokenHash);
  }

  joinByInvite(userId: number, tokenHash: string, bot?: BotMember): Chat {
    return invites.joinByInvite(this.ctx, userId, tokenHash, bot);
  }

  /** Resolves once D1's index holds what was committed so far (false: D1 failed; the alarm retries). */
  indexWritten(): Promise<boolean> {
    return this.outbox.flushIndex();
  }

  /** The DO alarm: re-sends whatever no mailbox has acknowledged yet. */
  alarm(): Promise<void> {
    return this.outbox.alarm();
  }

  /** Resolves when all background fan-out started so far has finished (for tests and shutdown). */
  idle(): Promise<void> {
    return this.outbox.idle();
  }
}
