import { fail } from '../../protocol/errors.js';
import { ChatPhoto } from '../../protocol/media.js';
import type { Chat } from '../../protocol/messages.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';
import { noteAdminAction } from './admin-log.js';
import type { RoomContext } from './context.js';
import { chatPhotoRefChanges } from './media.js';
import { announceChatChange, requireAble } from './membership.js';
import { tellBots } from './service.js';
import { chatPhotoOf, chatSnapshot, requireMember } from './state.js';
import { commit } from './writer.js';

/**
 * The chat's picture. The method layer has already checked that the setter
 * may use the files and that they are images (it owns D1, where files are);
 * the chat owns who may change it and makes the change one commit: the
 * chat row, the file refs that keep the files alive (and let members use
 * them), the admin-log entry, the `chat` update to everyone (one log entry
 * in a large chat) and the service event for bots.
 */

/** The files as the method layer claimed them for the setter; the chat adds the date. */
export type PhotoInput = Omit<ChatPhoto, 'date'>;

const PhotoInputSchema = ChatPhoto.omit({ date: true });

/** Sets (or replaces) the picture: those with can_change_info. */
export function setPhoto(ctx: RoomContext, actorId: number, input: PhotoInput): Chat {
  const { store } = ctx;
  const { chat } = requireAble(ctx, actorId, 'can_change_info');
  // Checked again here: the chat owns its rule, whatever the caller did.
  const parsed = safeParseUntrusted(PhotoInputSchema, input);
  if (!parsed.success) throw fail.badRequest('Invalid chat photo');
  const photo: ChatPhoto = { ...parsed.data, date: ctx.now() };
  const before = chatPhotoOf(chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET photo = ?', JSON.stringify(photo));
    emit.index(chatPhotoRefChanges(chat.id, before, photo));
    noteAdminAction(ctx, actorId, 'photo_changed');
    const changed = announceChatChange(ctx, emit, actorId);
    tellBots(store, emit, actorId, { kind: 'photo_changed', photo });
    return changed;
  });
}

/** Removes the picture: the same right. With none set, the chat is answered as it is. */
export function deletePhoto(ctx: RoomContext, actorId: number): Chat {
  const { store } = ctx;
  const { chat } = requireAble(ctx, actorId, 'can_change_info');
  if (!chat.photo) return chatSnapshot(store, actorId, chat);
  const before = chatPhotoOf(chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET photo = NULL');
    emit.index(chatPhotoRefChanges(chat.id, before, null));
    noteAdminAction(ctx, actorId, 'photo_deleted');
    const changed = announceChatChange(ctx, emit, actorId);
    tellBots(store, emit, actorId, { kind: 'photo_deleted' });
    return changed;
  });
}

/** The picture, for a member (whoever may see the chat): getChatPhotoUrl signs a link to it. */
export function getPhoto(ctx: RoomContext, viewerId: number): ChatPhoto | null {
  return chatPhotoOf(requireMember(ctx.store, viewerId).chat);
}

export const photoVerbs = { setPhoto, deletePhoto, getPhoto };
