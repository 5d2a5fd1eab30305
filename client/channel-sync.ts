import type { Chat } from '../protocol/messages.js';
import type { MethodInput, MethodResult } from '../protocol/methods.js';
import type { UpdateEnvelope } from '../protocol/updates.js';
import { MemorySyncStore, SyncRunner } from './sync-runner.js';
import type { DifferenceResult } from './sync.js';

/**
 * Sync of large chats (supergroups and channels). Their updates carry the chat's own pts,
 * not the account's: each chat gets its own pts engine (the same gap-free
 * rule as the account's, sync.ts), fed by `channel_updates` frames and
 * filled by getChannelDifference on a gap and after every reconnect.
 *
 * A chat's starting pts is learned from where the chat shows up: its
 * snapshot (Chat.pts) in a `chat` update, getDialogs, getChat; or, for a
 * chat first heard of through a push, just before that push.
 */
export interface ChannelSyncDeps {
  getChannelDifference(params: MethodInput<'getChannelDifference'>): Promise<MethodResult<'getChannelDifference'>>;
  apply(chatId: number, envelope: UpdateEnvelope): void;
  /** Too much was missed in this chat: reload its history. */
  tooLong(chatId: number, pts: number): void;
  fail(error: Error): void;
}

export class ChannelSync {
  readonly #chats = new Map<number, SyncRunner>();
  #live = false;

  constructor(private readonly deps: ChannelSyncDeps) {}

  /** The local pts of a chat, if it is followed. */
  pts(chatId: number): number | undefined {
    return this.#chats.get(chatId)?.engine.pts;
  }

  /** A chat snapshot passed by: start following a supergroup at its pts (a known chat keeps its own position). */
  learn(chat: Chat): void {
    if ((chat.kind !== 'supergroup' && chat.kind !== 'channel') || chat.pts === undefined || this.#chats.has(chat.id)) return;
    this.#follow(chat.id, chat.pts);
  }

  /** Entries pushed for a chat. */
  push(chatId: number, updates: UpdateEnvelope[]): void {
    const first = updates[0];
    if (!first) return;
    const runner = this.#chats.get(chatId) ?? this.#follow(chatId, first.pts - first.pts_count);
    runner.push(updates);
  }

  /** The socket is (back) up: every followed chat fetches what it missed. */
  start(): void {
    this.#live = true;
    for (const runner of this.#chats.values()) runner.start();
  }

  stop(): void {
    this.#live = false;
    for (const runner of this.#chats.values()) runner.stop();
  }

  #follow(chatId: number, pts: number): SyncRunner {
    const runner = new SyncRunner({
      // Only getDifference is ever asked: the engine starts from a known pts, so never getState.
      call: (async (method: string, params: { pts: number }) => {
        if (method !== 'getDifference') throw new Error(`channel sync asked for ${method}`);
        return toDifference(await this.deps.getChannelDifference({ chat_id: chatId, pts: params.pts }));
      }) as never,
      store: new MemorySyncStore(pts),
      apply: (envelope) => this.deps.apply(chatId, envelope),
      tooLong: (state) => this.deps.tooLong(chatId, state.pts),
      phase: () => {},
      fail: (error) => this.deps.fail(error),
    });
    this.#chats.set(chatId, runner);
    if (this.#live) runner.start();
    return runner;
  }
}

/** getChannelDifference's answer in the engine's terms (a chat's log has no date of its own). */
function toDifference(result: MethodResult<'getChannelDifference'>): DifferenceResult {
  const state = { pts: result.pts, date: 0 };
  switch (result.kind) {
    case 'empty':
      return { kind: 'empty', state };
    case 'too_long':
      return { kind: 'too_long', state };
    case 'difference':
      return { kind: 'difference', updates: result.updates, more: result.more, state };
  }
}
