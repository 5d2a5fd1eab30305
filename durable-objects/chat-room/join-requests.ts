import { fail } from '../../protocol/errors.js';
import { MAX_JOIN_REQUESTS_PAGE, type ChatJoinRequest } from '../../protocol/public-chats.js';
import { one } from '../sql/store.js';
import { noteAdminAction } from './admin-log.js';
import { migrated } from './channels.js';
import type { RoomContext } from './context.js';
import { admit, requireAble, type ViaLink } from './membership.js';
import { isBanned } from './moderation.js';
import { linkRow, pendingCount, requestRow, tellApprovers, type RequestRow } from './join-request-events.js';
import { chatRow, memberRow } from './state.js';
import { commit, type Emit } from './writer.js';

/**
 * Join requests: someone who would join, waiting for an admin who may
 * invite. A request is one row (approving or declining deletes it), made
 * by joining through a link that creates requests or by joining a public
 * chat that wants approval. Only the approvers hear of requests, so a
 * request costs the chat one event to its few managers, whatever its size.
 */


/** What the requester gets back: the request (made now, or the one already waiting). */
export type JoinRequestSent = { chat_id: number; date: number };

/**
 * Makes `userId`'s request (through `link`, if one), or answers the one
 * already waiting. A banned user may not ask; a member has nothing to ask.
 */
export function requestToJoin(ctx: RoomContext, userId: number, link?: { id: number }): JoinRequestSent {
  const { store } = ctx;
  const chat = chatRow(store)!;
  if (chat.migrated_to) throw migrated(chat);
  if (isBanned(store, userId, ctx.now())) throw fail.forbidden('You are banned from this chat');
  const waiting = requestRow(ctx, userId);
  if (waiting) return { chat_id: chat.id, date: waiting.date };
  const date = ctx.now();
  return commit(ctx, (emit) => {
    store.exec('INSERT INTO join_requests (user_id, date, link_id) VALUES (?, ?, ?)', userId, date, link?.id ?? null);
    tellApprovers(ctx, emit, { user_id: userId, date, link_id: link?.id ?? null }, 'pending');
    return { chat_id: chat.id, date };
  });
}

/** Pending requests, oldest first, after `offsetUserId`'s; with how many are pending in all. */
export function listJoinRequests(
  ctx: RoomContext,
  actorId: number,
  limit = 50,
  offsetUserId?: number,
): { requests: ChatJoinRequest[]; count: number } {
  const { store } = ctx;
  requireAble(ctx, actorId, 'can_invite_users');
  const after = offsetUserId === undefined ? undefined : requestRow(ctx, offsetUserId);
  const rows = store.exec<RequestRow>(
    `SELECT * FROM join_requests WHERE (?1 IS NULL OR date > ?1 OR (date = ?1 AND user_id > ?2))
     ORDER BY date, user_id LIMIT ?3`,
    after?.date ?? null,
    after?.user_id ?? 0,
    Math.min(Math.max(1, limit), MAX_JOIN_REQUESTS_PAGE),
  );
  return { requests: rows.map((r) => toRequest(ctx, r)), count: pendingCount(ctx) };
}

/**
 * Admits the requester as an add by `actorId` would (a ban or a full chat
 * refuses it, and the request stays for a decline); the link it came
 * through counts the join, and its chat_member names the link.
 */
export function approveJoinRequest(ctx: RoomContext, actorId: number, userId: number): void {
  const { store } = ctx;
  requireAble(ctx, actorId, 'can_invite_users');
  const request = requestRow(ctx, userId);
  if (!request) throw fail.notFound('Join request');
  const resolve = (emit: Emit) => {
    store.exec('DELETE FROM join_requests WHERE user_id = ?', userId);
    noteAdminAction(ctx, actorId, 'join_request_approved', {}, userId);
    tellApprovers(ctx, emit, request, 'approved', actorId);
  };
  // Added by someone in the meantime: the request is answered, nothing else to do.
  if (memberRow(store, userId)) return void commit(ctx, resolve);
  const link = request.link_id === null ? undefined : linkRow(ctx, request.link_id);
  const viaLink: ViaLink | undefined = link
    ? { id: link.id, creator_id: link.creator_id, ...(link.name !== null ? { name: link.name } : {}), token: link.token }
    : undefined;
  admit(ctx, actorId, userId, undefined, (emit) => {
    resolve(emit);
    if (link) store.exec('UPDATE invite_links SET usage = usage + 1 WHERE id = ?', link.id);
  }, viaLink);
}

/** Drops the request; the user may ask again. */
export function declineJoinRequest(ctx: RoomContext, actorId: number, userId: number): void {
  const { store } = ctx;
  requireAble(ctx, actorId, 'can_invite_users');
  const request = requestRow(ctx, userId);
  if (!request) throw fail.notFound('Join request');
  commit(ctx, (emit) => {
    store.exec('DELETE FROM join_requests WHERE user_id = ?', userId);
    noteAdminAction(ctx, actorId, 'join_request_declined', {}, userId);
    tellApprovers(ctx, emit, request, 'declined', actorId);
  });
}

/** Requests waiting that came through link `linkId` (ChatInviteLink.pending_join_request_count). */
export function pendingThroughLink(ctx: RoomContext, linkId: number): number {
  return one<{ n: number }>(ctx.store, 'SELECT count(*) AS n FROM join_requests WHERE link_id = ?', linkId)!.n;
}

function toRequest(ctx: RoomContext, row: RequestRow): ChatJoinRequest {
  const link = row.link_id === null ? undefined : linkRow(ctx, row.link_id);
  return {
    user_id: row.user_id,
    date: row.date,
    ...(link ? { invite_link: { id: link.id, creator_id: link.creator_id, ...(link.name !== null ? { name: link.name } : {}) } } : {}),
  };
}

export const joinRequestVerbs = { listJoinRequests, approveJoinRequest, declineJoinRequest };
