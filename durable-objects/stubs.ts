import type { Env } from './env.js';

/** The one place that names Durable Objects: one ChatRoom per chat, one UserMailbox per account, one FileReaper per released file. */
export function chatRoom(env: Pick<Env, 'CHAT_ROOM'>, chatId: number) {
  return env.CHAT_ROOM.get(env.CHAT_ROOM.idFromName(`chat:${chatId}`));
}

export function mailbox(env: Pick<Env, 'USER_MAILBOX'>, userId: number) {
  return env.USER_MAILBOX.get(env.USER_MAILBOX.idFromName(`user:${userId}`));
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
