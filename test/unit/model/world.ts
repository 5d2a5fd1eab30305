import type { ChatSpec } from '../../../durable-objects/chat-room/api.js';
import { EdgegramError } from '../../../protocol/errors.js';
import type { Message } from '../../../protocol/messages.js';
import type { RecordedRun, RecordedSend } from '../../support/history-checker.js';
import { ModelDevice } from './device.js';
import { Network } from './network.js';
import { isInjected, ModelRoom } from './room.js';

export const ACCOUNTS = [1, 2, 3, 4] as const;
export const GROUP = 42;
export const PRIVATE = 43;
export const T0 = 1_700_000_000_000;

/** The group starts with 1 (creator), 2 and 3; account 4 may join. The private chat is 2 ↔ 4. */
const SPECS: ChatSpec[] = [
  { chatId: GROUP, kind: 'group', title: 'Model', creatorId: 1, memberIds: [1, 2, 3], createdAt: T0 },
  { chatId: PRIVATE, kind: 'private', title: null, creatorId: null, memberIds: [2, 4], createdAt: T0 },
];

export type WorldOptions = {
  /** Devices per account, in ACCOUNTS order (1 or 2 each). */
  devices: readonly number[];
  /** The mailbox's getDifference page size: small, so paging (`more`) happens. */
  pageSize: number;
};

/**
 * Everything one model run needs: two ChatRooms, one Mailbox per account,
 * the devices, and the recording the history checker reads. The verbs here
 * call the real logic the way the method layer does; refusals (EdgegramError)
 * and injected storage failures are part of the game, anything else thrown
 * is a bug and fails the run.
 */
export class World {
  clock = T0;
  /** Logical time for the checker's "acked before sent". */
  private step = 0;
  readonly network = new Network(ACCOUNTS);
  readonly rooms = new Map<number, ModelRoom>();
  readonly devices: ModelDevice[] = [];
  readonly sends: RecordedSend[] = [];
  private readonly sendByKey = new Map<string, RecordedSend>();
  readonly everMembers = new Map<number, Set<number>>();
  /** Accounts that left or were removed from the group (they are never re-added; see the test header). */
  readonly departed = new Set<number>();
  private texts = 0;

  constructor(options: WorldOptions) {
    const now = () => this.clock;
    for (const spec of SPECS) {
      const room = new ModelRoom(spec, this.network, now);
      this.rooms.set(spec.chatId, room);
      this.everMembers.set(spec.chatId, new Set(spec.memberIds));
    }
    ACCOUNTS.forEach((userId, i) => {
      for (let d = 0; d < (options.devices[i] ?? 1); d++) {
        this.devices.push(new ModelDevice(userId, `u${userId}d${d + 1}`, this.network.mailbox(userId), options.pageSize));
      }
    });
    this.network.onAppended = (userId, envelopes) => {
      for (const d of this.devices) if (d.userId === userId) d.push(envelopes);
    };
    for (const d of this.devices) d.connect();
    for (const room of this.rooms.values()) room.logic.init(room.spec);
  }

  room(chatId: number): ModelRoom {
    return this.rooms.get(chatId)!;
  }

  tick(): void {
    this.clock += 100;
  }

  /** A new send: a fresh random_id. `ackLost`: the message may commit but the client never hears back. */
  send(userId: number, chatId: number, ackLost: boolean): void {
    const record: RecordedSend = { senderId: userId, chatId, randomId: `r${++this.texts}`, sentAt: ++this.step };
    this.sends.push(record);
    this.sendByKey.set(`${chatId}:${userId}:${record.randomId}`, record);
    this.attemptSend(record, ackLost);
  }

  /** A retry with the same random_id of one of the account's earlier sends (acked or not). */
  retry(userId: number, pick: number, ackLost: boolean): void {
    const own = [...this.sendByKey.values()].filter((s) => s.senderId === userId);
    if (own.length > 0) this.attemptSend(own[pick % own.length]!, ackLost);
  }

  edit(userId: number, chatId: number, pick: number): void {
    const id = this.messageId(chatId, pick);
    attempt(() => this.room(chatId).logic.editMessage(userId, id, `edit ${++this.texts}`, undefined));
  }

  delete(userId: number, chatId: number, picks: number[], forEveryone: boolean): void {
    const ids = picks.map((p) => this.messageId(chatId, p));
    attempt(() => this.room(chatId).logic.deleteMessages(userId, ids, forEveryone));
  }

  read(userId: number, chatId: number, pick: number): void {
    attempt(() => this.room(chatId).logic.readHistory(userId, this.messageId(chatId, pick) - 1));
  }

  /** A manager adds `userId` to the group, unless they were ever in it before. */
  join(userId: number): void {
    const group = this.room(GROUP);
    const actor = group.members().find((m) => m.role !== 'member');
    if (!actor || this.everMembers.get(GROUP)!.has(userId)) return;
    if (attempt(() => group.logic.addMember(actor.user_id, userId))) this.everMembers.get(GROUP)!.add(userId);
  }

  leave(userId: number): void {
    if (attempt(() => this.room(GROUP).logic.leave(userId))) this.departed.add(userId);
  }

  remove(userId: number): void {
    const group = this.room(GROUP);
    const actor = group.members().find((m) => m.role !== 'member' && m.user_id !== userId);
    if (actor && attempt(() => group.logic.removeMember(actor.user_id, userId))) this.departed.add(userId);
  }

  /** Members through the whole run: they must have every acked message on every device. */
  steadyMembers(): Map<number, Set<number>> {
    const steady = new Map<number, Set<number>>();
    for (const spec of SPECS) steady.set(spec.chatId, new Set(spec.memberIds.filter((u) => !this.departed.has(u))));
    return steady;
  }

  recordedRun(): RecordedRun {
    return {
      sends: this.sends,
      devices: this.devices.map((d) => d.record()),
      everMembers: this.everMembers,
      steadyMembers: this.steadyMembers(),
    };
  }

  /** Every visible message of a chat as `userId` reads it (all pages of getHistory). */
  history(chatId: number, userId: number): Message[] {
    const all: Message[] = [];
    for (;;) {
      const offset = all.at(-1)?.id ?? 0;
      const page = this.room(chatId).logic.getHistory(userId, { offset_id: offset, direction: 'after', limit: 100 });
      all.push(...page);
      if (page.length < 100) return all;
    }
  }

  private attemptSend(record: RecordedSend, ackLost: boolean): void {
    const done = attempt(() =>
      this.room(record.chatId).logic.sendMessage(record.senderId, { random_id: record.randomId, text: `text ${record.randomId}` }),
    );
    if (!done || ackLost) return;
    const message = done.value;
    const ack = { messageId: message.id, at: ++this.step };
    if (!record.ack) record.ack = ack;
    // A retry answered with another message: record it so the checker reports the duplicate.
    else if (record.ack.messageId !== message.id) this.sends.push({ ...record, ack });
  }

  /** An id in 1..(last id + 1) of the chat, so most picks name a real message and a few do not. */
  private messageId(chatId: number, pick: number): number {
    const next = this.room(chatId).store.exec<{ n: number }>('SELECT next_message_id AS n FROM chat')[0]?.n ?? 1;
    return (pick % next) + 1;
  }
}

/** Runs a verb: its result if it went through; undefined on a refusal or an injected failure; anything else is rethrown. */
export function attempt<T>(fn: () => T): { value: T } | undefined {
  try {
    return { value: fn() };
  } catch (err) {
    if (err instanceof EdgegramError || isInjected(err)) return undefined;
    throw err;
  }
}
