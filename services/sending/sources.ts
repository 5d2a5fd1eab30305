import { database } from '../../d1/db.js';
import type { InputMedia } from '../../protocol/media.js';
import type { Env } from '../../durable-objects/env.js';
import { resolveMedia } from '../media/access.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { CheckedMedia, Original } from './outgoing.js';

/**
 * Where a send's content may come from, checked as its sender: files it may
 * use, messages it can see. Errors are Edgegram's; each API words them.
 */

/** A file as media of its kind, if the sender may use it (see ../media/access.ts); ends the sender's upload hold. */
export async function claimMedia(env: Pick<Env, 'DB'>, senderId: number, input: InputMedia, now: number): Promise<CheckedMedia> {
  return (await resolveMedia(database(env.DB), senderId, input, now)) as CheckedMedia;
}

/**
 * The messages of `chatId` the sender can see, by id; the others (deleted,
 * hidden, never there) are absent. A sender who is not a member gets the
 * chat's NOT_FOUND. A channel's posts carry its title, for their forwards.
 */
export async function readOriginals(env: Pick<Env, 'CHAT_ROOM'>, senderId: number, chatId: number, ids: number[]): Promise<Map<number, Original>> {
  const room = chatRoom(env, chatId);
  const messages = unwrap(await room.getMessages(senderId, ids)) as Original[];
  if (messages.some((m) => m.sender_id === null)) {
    const { chat } = unwrap(await room.getChat(senderId));
    for (const m of messages) if (m.sender_id === null) m.channel_title = chat.title ?? '';
  }
  return new Map(messages.map((m) => [m.id, m]));
}
