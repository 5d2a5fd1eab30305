import { DurableObject } from 'cloudflare:workers';
import { applyIndexChanges } from '../../d1/queries/index-changes.js';
import { clearParked, recordParked } from '../../d1/queries/outbox-parked.js';
import { database } from '../../d1/db.js';
import type { Chat, ChatMember, Entity, Message } from '../../protocol/messages.js';
import type { Env } from '../env.js';
import { AlarmJobs } from '../alarm-jobs.js';
import { capture, unwrap, type Outcome } from '../outcome.js';
import { releaseFiles } from '../media/file-reaper.js';
import { durableSqlStore } from '../sql/store.js';
import { mailbox } from '../stubs.js';
import type { ReplyMarkup } from '../../protocol/keyboards.js';
import type { ChatSnapshot, ChatSpec, HistoryQuery, SendInput } from './api.js';
import type { MessageReactions } from '../../protocol/reactions.js';
import type { ChatInviteLink, ChatInvitePreview } from '../../protocol/invites.js';
import type { BotMember } from './bots.js';
import type { NewInvite } from './invites.js';
import type { Permissions } from './restrictions.js';
import { ChatRoomLogic, type ChatTransport } from './room.js';

/**
 * One Durable Object per chat: a thin adapter from the runtime to
 * ChatRoomLogic. Methods mirror ChatRoomApi and return Outcomes, because
 * workerd drops an error's code across RPC.
 */
/** The room's timed jobs (see ../alarm-jobs.ts). */
type RoomJob = 'outbox';

export class ChatRoom extends DurableObject<Env> {
  private readonly logic: ChatRoomLogic;

  private readonly jobs: AlarmJobs<RoomJob>;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    const store = durableSqlStore(ctx.storage);
    this.jobs = new AlarmJobs<RoomJob>(
      store,
      // Not awaited on purpose: called synchronously right after the commit,
      // the write joins the same output-gated batch as the transaction.
      (atMs) => void ctx.storage.setAlarm(atMs).catch((err: unknown) => console.error('setAlarm failed', err)),
      Date.now,
    );
    const transport: ChatTransport = {
      async deliver(userId, events) {
        unwrap(await mailbox(env, userId).deliver(userId, events));
      },
      async pushEphemeral(userIds, event) {
        // Best effort per recipient: one offline mailbox must not stop the rest.
        await Promise.allSettled(userIds.map((uid) => mailbox(env, uid).pushEvent(uid, event)));
      },
      async writeIndex(changes) {
        const now = Date.now();
        await applyIndexChanges(database(env.DB), changes, now);
        // Files whose last message is gone: their reapers' alarms free them.
        await releaseFiles(env, changes, now);
      },
      async reportParking(report) {
        const db = database(env.DB);
        if (report.op === 'resumed') return clearParked(db, report.chatId, report.recipient);
        const { chatId, recipient, at, attempts, oldestSeq, rows } = report;
        await recordParked(db, { chatId, userId: recipient, parkedAt: at, attempts, oldestSeq, rowCount: rows });
      },
    };
    this.logic = new ChatRoomLogic(store, {
      now: Date.now,
      transport,
      // The outbox is the room's one timed job today, on the shared scheduler (../alarm-jobs.ts).
      scheduler: { setAlarm: (atMs) => this.jobs.schedule('outbox', atMs) },
      background: (work) => ctx.waitUntil(work),
    });
  }

  init(spec: ChatSpec): Promise<Outcome<Chat>> {
    return capture(() => this.logic.init(spec));
  }

  sendMessage(senderId: number, input: SendInput): Promise<Outcome<Message>> {
    return capture(() => this.logic.sendMessage(senderId, input));
  }

  sendAlbum(senderId: number, items: SendInput[]): Promise<Outcome<Message[]>> {
    return capture(() => this.logic.sendAlbum(senderId, items));
  }

  editMessage(
    userId: number,
    id: number,
    text: string,
    entities: Entity[] | undefined,
    markup?: ReplyMarkup | null,
  ): Promise<Outcome<Message>> {
    return capture(() => this.logic.editMessage(userId, id, text, entities, markup));
  }

  editReplyMarkup(userId: number, id: number, markup: ReplyMarkup | null): Promise<Outcome<Message>> {
    return capture(() => this.logic.editReplyMarkup(userId, id, markup));
  }

  deleteMessages(userId: number, ids: number[], forEveryone: boolean): Promise<Outcome<void>> {
    return capture(() => this.logic.deleteMessages(userId, ids, forEveryone));
  }

  getHistory(userId: number, query: HistoryQuery): Promise<Outcome<Message[]>> {
    return capture(() => this.logic.getHistory(userId, query));
  }

  getMessages(userId: number, ids: number[]): Promise<Outcome<Message[]>> {
    return capture(() => this.logic.getMessages(userId, ids));
  }

  readHistory(userId: number, maxId: number): Promise<Outcome<{ still_unread_count: number }>> {
    return capture(() => this.logic.readHistory(userId, maxId));
  }

  setTyping(userId: number, action: 'typing' | 'cancel'): Promise<Outcome<void>> {
    return capture(() => this.logic.setTyping(userId, action));
  }

  getChat(userId: number): Promise<Outcome<ChatSnapshot>> {
    return capture(() => this.logic.getChat(userId));
  }

  search(userId: number, query: string, offsetId: number | undefined, limit: number): Promise<Outcome<Message[]>> {
    return capture(() => this.logic.search(userId, query, offsetId, limit));
  }

  getViews(userId: number, ids: number[], increment: boolean): Promise<Outcome<{ id: number; views: number }[]>> {
    return capture(() => this.logic.getViews(userId, ids, increment));
  }

  addMember(actorId: number, userId: number, bot?: BotMember): Promise<Outcome<Chat>> {
    return capture(() => this.logic.addMember(actorId, userId, bot));
  }

  removeMember(actorId: number, userId: number): Promise<Outcome<Chat>> {
    return capture(() => this.logic.removeMember(actorId, userId));
  }

  leave(userId: number): Promise<Outcome<void>> {
    return capture(() => this.logic.leave(userId));
  }

  editTitle(actorId: number, title: string): Promise<Outcome<Chat>> {
    return capture(() => this.logic.editTitle(actorId, title));
  }

  setAdmin(actorId: number, userId: number, isAdmin: boolean): Promise<Outcome<Chat>> {
    return capture(() => this.logic.setAdmin(actorId, userId, isAdmin));
  }

  ban(actorId: number, userId: number, untilMs: number | null): Promise<Outcome<void>> {
    return capture(() => this.logic.ban(actorId, userId, untilMs));
  }

  unban(actorId: number, userId: number, onlyIfBanned: boolean): Promise<Outcome<void>> {
    return capture(() => this.logic.unban(actorId, userId, onlyIfBanned));
  }

  pin(actorId: number, messageId: number): Promise<Outcome<Chat>> {
    return capture(() => this.logic.pin(actorId, messageId));
  }

  unpin(actorId: number, messageId: number | undefined): Promise<Outcome<Chat>> {
    return capture(() => this.logic.unpin(actorId, messageId));
  }

  setReactions(userId: number, messageId: number, reaction: string[]): Promise<Outcome<MessageReactions>> {
    return capture(() => this.logic.setReactions(userId, messageId, reaction));
  }

  restrict(actorId: number, userId: number, permissions: Permissions, untilMs: number | null): Promise<Outcome<ChatMember>> {
    return capture(() => this.logic.restrict(actorId, userId, permissions, untilMs));
  }

  /** Answers once the link's hash is in D1, so the token works the moment its creator has it. */
  createInvite(actorId: number, input: NewInvite): Promise<Outcome<ChatInviteLink>> {
    return capture(async () => {
      const link = this.logic.createInvite(actorId, input);
      // If D1 failed, the outbox's alarm writes it shortly; the link is created either way.
      await this.logic.indexWritten();
      return link;
    });
  }

  listInvites(actorId: number): Promise<Outcome<ChatInviteLink[]>> {
    return capture(() => this.logic.listInvites(actorId));
  }

  revokeInvite(actorId: number, linkId: number): Promise<Outcome<ChatInviteLink>> {
    return capture(() => this.logic.revokeInvite(actorId, linkId));
  }

  previewInvite(userId: number, tokenHash: string): Promise<Outcome<ChatInvitePreview>> {
    return capture(() => this.logic.previewInvite(userId, tokenHash));
  }

  joinByInvite(userId: number, tokenHash: string, bot?: BotMember): Promise<Outcome<Chat>> {
    return capture(() => this.logic.joinByInvite(userId, tokenHash, bot));
  }

  /** The outbox backstop; at-least-once, and idempotent because only acknowledged rows are deleted. */
  override async alarm(): Promise<void> {
    await this.jobs.run({ outbox: () => this.logic.alarm() });
  }
}
