import type { Update } from '../../protocol/updates.js';
import { one } from '../sql/store.js';
import type { RoomContext } from './context.js';
import { may } from './rights.js';
import { chatRow, managerRows } from './state.js';
import type { Copy, Emit } from './writer.js';

/**
 * What the approvers of join requests hear (join-requests.ts has the
 * verbs). Apart from them so that admission (membership.ts) can answer a
 * request when its user is added some other way.
 */

export type RequestRow = { user_id: number; date: number; link_id: number | null };
export type LinkRow = { id: number; creator_id: number; name: string | null; token: string };

/**
 * One `chat_join_request` to everyone who may decide on it: the creator and
 * the admins (people and bots) with the invite right. The link's token only
 * in its own creator's copy, as in chat_member.
 */
export function tellApprovers(ctx: RoomContext, emit: Emit, request: RequestRow, status: 'pending' | 'approved' | 'declined', actorId?: number): void {
  const { store } = ctx;
  const chat = chatRow(store)!;
  const approvers = managerRows(store).filter((m) => may(store, chat, m, 'can_invite_users', ctx.now())).map((m) => m.user_id);
  if (approvers.length === 0) return;
  const link = request.link_id === null ? undefined : linkRow(ctx, request.link_id);
  const update: Extract<Update, { type: 'chat_join_request' }> = {
    type: 'chat_join_request',
    chat_id: chat.id,
    user_id: request.user_id,
    date: request.date,
    status,
    ...(actorId !== undefined ? { actor_id: actorId } : {}),
    pending_count: pendingCount(ctx),
  };
  emit.event(approvers, (uid): Copy => {
    if (!link) return { update };
    const shown = { id: link.id, creator_id: link.creator_id, ...(link.name !== null ? { name: link.name } : {}) };
    return { update: { ...update, invite_link: uid === link.creator_id ? { ...shown, token: link.token } : shown } };
  });
}

/**
 * Inside an admission's transaction: the user is in now, so a request they
 * had waiting is answered (approved by whoever let them in).
 */
export function settleRequestOnJoin(ctx: RoomContext, emit: Emit, userId: number, actorId: number): void {
  const request = requestRow(ctx, userId);
  if (!request) return;
  ctx.store.exec('DELETE FROM join_requests WHERE user_id = ?', userId);
  tellApprovers(ctx, emit, request, 'approved', actorId);
}

export function requestRow(ctx: RoomContext, userId: number): RequestRow | undefined {
  return one<RequestRow>(ctx.store, 'SELECT * FROM join_requests WHERE user_id = ?', userId);
}

export function linkRow(ctx: RoomContext, linkId: number): LinkRow | undefined {
  return one<LinkRow>(ctx.store, 'SELECT id, creator_id, name, token FROM invite_links WHERE id = ?', linkId);
}

export function pendingCount(ctx: RoomContext): number {
  return one<{ n: number }>(ctx.store, 'SELECT count(*) AS n FROM join_requests')!.n;
}
