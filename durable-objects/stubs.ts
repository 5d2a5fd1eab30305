import type { VerbArgs, VerbName, VerbResult } from './chat-room/verbs.js';
import { verbNames } from './chat-room/verbs.js';
import type { Env } from './env.js';
import type { Outcome } from './outcome.js';

/** The one place that names Durable Objects: one ChatRoom per chat, one UserMailbox per account, one FileReaper per released file. */

/** A chat's verbs as the Worker and other objects call them: `chatRoom(env, id).sendMessage(senderId, input)`. */
export type ChatRoomClient = { [V in VerbName]: (...args: VerbArgs<V>) => Promise<Outcome<VerbResult<V>>> };

/**
 * One method per registry verb, each a call of the DO's one RPC method
 * `run`. Not a Proxy: it has exactly the verbs, so no other name (not even
 * `then`, which `await` looks for) is ever sent. The methods live on a
 * prototype made once, so a client costs one object, not one closure per
 * verb, on every send.
 */
export function chatRoom(env: Pick<Env, 'CHAT_ROOM'>, chatId: number): ChatRoomClient {
  return new RoomClient(chatRoomStub(env, chatId)) as unknown as ChatRoomClient;
}

class RoomClient {
  constructor(readonly stub: { run(verb: string, args: unknown[]): Promise<Outcome<unknown>> }) {}
}
for (const verb of verbNames) {
  Object.defineProperty(RoomClient.prototype, verb, {
    value: function (this: RoomClient, ...args: unknown[]) {
      // `run` is typed for any verb; ChatRoomClient puts each verb's own result type back.
      return this.stub.run(verb, args);
    },
  });
}

/** The chat's DO stub itself, for what the runtime does with it (alarms and `runInDurableObject` in tests). */
export function chatRoomStub(env: Pick<Env, 'CHAT_ROOM'>, chatId: number) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(`chat:${chatId}`));
}

export function mailbox(env: Pick<Env, 'USER_MAILBOX'>, userId: number) {
  return env.USER_MAILBOX.get(env.USER_MAILBOX.idFromName(`user:${userId}`));
}

/** One fan-out shard of a large chat (../fanout-shard/shard.ts: which member is in which shard). */
export function fanoutShard(env: Pick<Env, 'FANOUT_SHARD'>, chatId: number, shard: number) {
  return env.FANOUT_SHARD.get(env.FANOUT_SHARD.idFromName(`fanout:${chatId}:${shard}`));
}

export function fileReaper(env: Pick<Env, 'FILE_REAPER'>, fileId: string) {
  return env.FILE_REAPER.get(env.FILE_REAPER.idFromName(`file:${fileId}`));
}

/**
 * The account a UserMailbox belongs to, from the object's own name (the
 * runtime gives a named object its name): its identity never comes from a
 * caller. Throws for an object not made by `mailbox()` above.
 */
export function mailboxOwner(id: DurableObjectId): number {
  const match = /^user:([1-9][0-9]*)$/.exec(id.name ?? '');
  if (!match) throw new Error(`not a mailbox name: ${id.name ?? '(unnamed)'}`);
  return Number(match[1]);
}
