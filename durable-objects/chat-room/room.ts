import { migrate } from '../sql/migrate.js';
import type { SqlStore } from '../sql/store.js';
import { createRoomContext, type ChatRoomDeps, type RoomContext } from './context.js';
import { chatRoomMigrations } from './migrations.js';
import { bindVerbs, runVerb, type ChatRoomApi } from './verbs.js';

export type { AlarmScheduler, ChatTransport } from './outbox.js';
export { DEFAULT_LIMITS, type ChatRoomDeps, type RoomLimits } from './context.js';

// Declaration merging: the class gets every verb's signature from the
// registry (./verbs.ts), and its constructor binds the verbs themselves.
export interface ChatRoomLogic extends ChatRoomApi {}

/**
 * One chat: its members and rights, its gapless message log, its event
 * sequence, and the outbox that carries each event to every recipient's
 * mailbox. Plain logic over a SqlStore; the ChatRoom DO only adapts it.
 * The verbs live in their modules and are listed once in ./verbs.ts; this
 * class binds them to one room context and adds what the DO runs besides.
 */
export class ChatRoomLogic {
  readonly #ctx: RoomContext;

  constructor(store: SqlStore, deps: ChatRoomDeps) {
    migrate(store, chatRoomMigrations);
    this.#ctx = createRoomContext(store, deps);
    Object.assign(this, bindVerbs(this.#ctx));
  }

  /** A verb by name, as the DO's RPC receives it: unknown names are refused (see ./verbs.ts). */
  run(verb: unknown, args: unknown): Promise<unknown> {
    return runVerb(this.#ctx, verb, args);
  }

  /** The DO alarm: re-sends whatever no mailbox (or other room) has acknowledged yet. */
  async alarm(): Promise<void> {
    await Promise.all([this.#ctx.outbox.alarm(), this.#ctx.notices.alarm()]);
  }

  /** Resolves when all background fan-out started so far has finished (for tests and shutdown). */
  async idle(): Promise<void> {
    await Promise.all([this.#ctx.outbox.idle(), this.#ctx.notices.idle()]);
  }
}
