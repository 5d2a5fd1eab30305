import { DurableObject } from 'cloudflare:workers';
import type { Env } from '../env.js';
import { durableSqlStore } from '../sql/store.js';
import { mailbox } from '../stubs.js';
import { FanoutShardLogic } from './shard.js';

/** One fan-out shard of one large chat (see ./shard.ts); named `fanout:<chat id>:<shard>`. */
export class FanoutShard extends DurableObject<Env> {
  private readonly logic: FanoutShardLogic;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.logic = new FanoutShardLogic(
      durableSqlStore(ctx.storage),
      (userId, chatId, frame, entries) => mailbox(env, userId).pushChannel(userId, chatId, frame, entries),
      Date.now,
    );
  }

  subscribe(userId: number): void {
    this.logic.subscribe(userId);
  }

  unsubscribe(userId: number): void {
    this.logic.unsubscribe(userId);
  }

  /** Members of this shard with a device online. */
  online(): number {
    return this.logic.online;
  }

  /** `frame`: the `channel_updates` frame, serialized once by the chat for every member. */
  push(chatId: number, frame: string, entries = true): Promise<{ pushed: number; dropped: number }> {
    return this.logic.push(chatId, frame, entries);
  }
}
