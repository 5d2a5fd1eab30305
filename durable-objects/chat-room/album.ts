import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { MAX_ALBUM_ITEMS, MIN_ALBUM_ITEMS } from '../../protocol/media.js';
import type { Message } from '../../protocol/messages.js';
import type { SendInput } from './api.js';
import { checkRandomId, findSent, insertMessage, prepareSend, retried, sendKindOf } from './messages.js';
import { noteSlowModeSend } from './restrictions.js';
import { checkSend } from './send-checks.js';
import { topicForSend } from './topics.js';
import { chatRow, requireMember, toMessage } from './state.js';
import { commit } from './writer.js';
import type { RoomContext } from './context.js';

/**
 * An album: 2-10 media messages stored in one transaction (all or none), with
 * consecutive ids and the first one's id as their grouped_id. Each item has
 * its own random_id; a retry with the same ids returns the stored album. One
 * album costs one send token, as in Telegram.
 */
export function sendAlbum(ctx: RoomContext, senderId: number, items: SendInput[]): Message[] {
  const sender = requireMember(ctx.store, senderId);
  const { chat } = sender;
  if (items.length < MIN_ALBUM_ITEMS || items.length > MAX_ALBUM_ITEMS) {
    throw fail.badRequest(`An album has ${MIN_ALBUM_ITEMS}-${MAX_ALBUM_ITEMS} items`);
  }
  items.forEach((item) => checkRandomId(item.random_id));
  if (new Set(items.map((i) => i.random_id)).size !== items.length) throw fail.badRequest('Each album item needs its own random_id');
  const originals = items.map((item) => findSent(ctx, senderId, item.random_id));
  const found = originals.filter((o) => o !== undefined);
  if (found.length === items.length) return found.map((o) => retried(chat.id, o, senderId));
  if (found.length > 0) throw new EdgegramError(ErrorCode.CONFLICT, 'Some of these random_ids were already used by other messages');
  const links = () => items.some((item) => sendKindOf(item).links());
  // One topic for the whole album, checked before a token is taken.
  const topicId = topicForSend(ctx, sender, items[0]!.message_thread_id, items[0]!.reply_to_message_id);
  const signature = checkSend(ctx, senderId, { media: true, links }, items[0]!.author_name, sender);
  const prepared = items.map((item) => {
    if (item.media === undefined) throw fail.badRequest('Every album item has media');
    return prepareSend(ctx, item, signature, topicId);
  });
  return commit(ctx, (emit) => {
    noteSlowModeSend(ctx.store, chat, sender.member, ctx.now());
    const groupedId = chatRow(ctx.store)!.next_message_id;
    return prepared.map((p) => {
      const row = insertMessage(ctx, emit, senderId, { ...p, media: { ...p.media!, grouped_id: groupedId } });
      return toMessage(chat.id, row, senderId);
    });
  });
}

export const albumVerbs = { sendAlbum };
