import { isManaged } from './channels.js';
import { fail } from '../../protocol/errors.js';
import { INVITE_TOKEN_PATTERN, MAX_ACTIVE_INVITE_LINKS, type ChatInviteLink, type ChatInvitePreview } from '../../protocol/invites.js';
import type { Chat } from '../../protocol/messages.js';
import { one, type SqlStore } from '../sql/store.js';
import type { BotMember } from './bots.js';
import { admit, requireAble } from './membership.js';
import { chatRow, chatSnapshot, memberRow } from './state.js';
import { commit } from './writer.js';
import { may } from './rights.js';
import { noteAdminAction } from './admin-log.js';
import { pendingThroughLink, requestToJoin, type JoinRequestSent } from './join-requests.js';
import type { RoomContext } from './context.js';

/**
 * A group's invite links. The chat owns them: it authorizes their creation,
 * counts their usage and decides whether one still admits anyone, all inside
 * its one writer, so a link with a limit of one admits exactly one joiner
 * however many try at once. D1 only maps a token's hash to the chat (queued
 * through the outbox like the membership index).
 *
 * A link nobody may use (unknown here, revoked, expired, used up) is refused
 * with INVITE_INVALID, the same answer as a token D1 never heard of, so a
 * link never tells whether its group exists. A current member is the
 * exception for an expired or used-up link: joining again is idempotent.
 */

/** A link as the method layer hands it over: the token made and hashed there. */
export type NewInvite = {
  token: string;
  tokenHash: string;
  name?: string;
  expireDate?: number;
  memberLimit?: number;
  primary?: boolean;
  /** Joining through it makes a join request (join-requests.ts) instead of a member. */
  createsJoinRequest?: boolean;
};

/** What editing a link may change; null clears (no name, no expiry, no limit). */
export type InviteChanges = { name?: string | null; expireDate?: number | null; memberLimit?: number | null; createsJoinRequest?: boolean };

/** What joining answers: the chat (joined), or the request made instead. */
export type JoinOutcome = { chat: Chat } | { join_request: JoinRequestSent };

/** Telegram's rule: a link that makes requests admits nobody by itself, so a usage limit means nothing on it. */
const LIMIT_WITH_REQUESTS = 'member_limit cannot be set on a link that creates join requests';

type InviteRow = {
  id: number;
  token: string;
  token_hash: string;
  creator_id: number;
  name: string | null;
  created_at: number;
  expire_date: number | null;
  member_limit: number | null;
  usage: number;
  revoked: number;
  /** Absent before the primary links migration. */
  is_primary?: number;
  /** Absent before the public chats migration. */
  creates_join_request?: number;
};

const SHA256_HEX = /^[0-9a-f]{64}$/;

export function createInvite(ctx: RoomContext, actorId: number, input: NewInvite): ChatInviteLink {
  const { store } = ctx;
  const { chat } = requireAble(ctx, actorId, 'can_invite_users');
  if (!INVITE_TOKEN_PATTERN.test(input.token) || !SHA256_HEX.test(input.tokenHash)) throw fail.badRequest('Malformed invite token');
  if (input.expireDate !== undefined && input.expireDate <= ctx.now()) throw fail.badRequest('expire_date must be in the future');
  if (input.createsJoinRequest && input.memberLimit !== undefined) throw fail.badRequest(LIMIT_WITH_REQUESTS);
  const active = one<{ n: number }>(store, 'SELECT count(*) AS n FROM invite_links WHERE revoked = 0')!.n;
  if (active >= MAX_ACTIVE_INVITE_LINKS) {
    throw fail.forbidden(`A group has at most ${MAX_ACTIVE_INVITE_LINKS} active invite links; revoke one first`);
  }
  const now = ctx.now();
  return commit(ctx, (emit) => {
    if (input.primary) {
      // One primary link per admin: the one before stops working.
      const old = store.exec<InviteRow>('UPDATE invite_links SET revoked = 1 WHERE creator_id = ? AND is_primary = 1 AND revoked = 0 RETURNING *', actorId);
      if (old.length > 0) emit.index(old.map((r) => ({ op: 'uninvite' as const, tokenHash: r.token_hash })));
    }
    const [row] = store.exec<InviteRow>(
      `INSERT INTO invite_links (token, token_hash, creator_id, name, created_at, expire_date, member_limit, is_primary, creates_join_request)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING *`,
      input.token,
      input.tokenHash,
      actorId,
      input.name ?? null,
      now,
      input.expireDate ?? null,
      input.memberLimit ?? null,
      input.primary ? 1 : 0,
      input.createsJoinRequest ? 1 : 0,
    );
    emit.index([{ op: 'invite', chatId: chat.id, tokenHash: input.tokenHash, createdAt: now }]);
    noteAdminAction(ctx, actorId, 'invite_link_created', { link_id: row!.id });
    return toLink(ctx, row!);
  });
}

/** Active links first, then revoked ones, newest first in each. */
export function listInvites(ctx: RoomContext, actorId: number): ChatInviteLink[] {
  requireAble(ctx, actorId, 'can_invite_users');
  const rows = ctx.store.exec<InviteRow>('SELECT * FROM invite_links ORDER BY revoked, id DESC LIMIT ?', 2 * MAX_ACTIVE_INVITE_LINKS);
  return rows.map((r) => toLink(ctx, r));
}

export function revokeInvite(ctx: RoomContext, actorId: number, linkId: number): ChatInviteLink {
  const { store } = ctx;
  requireAble(ctx, actorId, 'can_invite_users');
  const row = one<InviteRow>(store, 'SELECT * FROM invite_links WHERE id = ?', linkId);
  if (!row) throw fail.notFound('Invite link');
  if (row.revoked) return toLink(ctx, row);
  return commit(ctx, (emit) => {
    const [revoked] = store.exec<InviteRow>('UPDATE invite_links SET revoked = 1 WHERE id = ? RETURNING *', linkId);
    noteAdminAction(ctx, actorId, 'invite_link_revoked', { link_id: linkId });
    // Off the index at once: from now on the token is as unknown as one never made.
    emit.index([{ op: 'uninvite', tokenHash: row.token_hash }]);
    return toLink(ctx, revoked!);
  });
}

/**
 * A link found by its token's hash, for changing it: one of this chat's,
 * made by the actor (the creator may change anyone's), who may still invite.
 */
function ownLink(ctx: RoomContext, actorId: number, tokenHash: string): InviteRow {
  const { member } = requireAble(ctx, actorId, 'can_invite_users');
  const row = inviteByHash(ctx.store, tokenHash);
  if (!row || (row.creator_id !== actorId && member.role !== 'creator')) throw fail.notFound('Invite link');
  return row;
}

/** Changes a link's name, expiry or usage limit (its creator, or the chat's creator); a revoked link cannot change. */
export function editInvite(ctx: RoomContext, actorId: number, tokenHash: string, changes: InviteChanges): ChatInviteLink {
  const { store } = ctx;
  const row = ownLink(ctx, actorId, tokenHash);
  if (row.revoked) throw fail.badRequest('A revoked link cannot be edited');
  if (changes.expireDate != null && changes.expireDate <= ctx.now()) throw fail.badRequest('expire_date must be in the future');
  const memberLimit = changes.memberLimit === undefined ? row.member_limit : changes.memberLimit;
  const createsRequests = changes.createsJoinRequest ?? Boolean(row.creates_join_request);
  if (createsRequests && memberLimit !== null) throw fail.badRequest(LIMIT_WITH_REQUESTS);
  const [edited] = commit(ctx, () => {
    noteAdminAction(ctx, actorId, 'invite_link_edited', { link_id: row.id });
    return store.exec<InviteRow>(
      'UPDATE invite_links SET name = ?, expire_date = ?, member_limit = ?, creates_join_request = ? WHERE id = ? RETURNING *',
      changes.name === undefined ? row.name : changes.name,
      changes.expireDate === undefined ? row.expire_date : changes.expireDate,
      memberLimit,
      createsRequests ? 1 : 0,
      row.id,
    );
  });
  return toLink(ctx, edited!);
}

/** Revokes a link named by its token's hash (its creator, or the chat's creator). */
export function revokeInviteByHash(ctx: RoomContext, actorId: number, tokenHash: string): ChatInviteLink {
  return revokeInvite(ctx, actorId, ownLink(ctx, actorId, tokenHash).id);
}

/** What the link shows before joining: title and size only (and the chat's id to a member). */
export function previewInvite(ctx: RoomContext, userId: number, tokenHash: string): ChatInvitePreview {
  const chat = chatRow(ctx.store)!;
  const { link, isMember } = usableLink(ctx, userId, tokenHash);
  const preview: ChatInvitePreview = {
    title: chat.title ?? '',
    kind: chat.kind === 'channel' ? 'channel' : 'group',
    member_count: chat.member_count,
    ...(link.creates_join_request ? { request_needed: true, ...(chat.description ? { description: chat.description } : {}) } : {}),
  };
  return isMember ? { ...preview, chat_id: chat.id } : preview;
}

/**
 * Joins through the link: the usual admission (ban, size, events), the
 * link's usage counted in the same commit; or, through a link that creates
 * requests, the request (counted when approved).
 */
export function joinByInvite(ctx: RoomContext, userId: number, tokenHash: string, bot?: BotMember): JoinOutcome {
  const { store } = ctx;
  const { link, isMember } = usableLink(ctx, userId, tokenHash);
  if (isMember) return { chat: chatSnapshot(store, userId) };
  if (link.creates_join_request && !bot) return { join_request: requestToJoin(ctx, userId, link) };
  const via = { id: link.id, creator_id: link.creator_id, ...(link.name !== null ? { name: link.name } : {}), token: link.token };
  return { chat: admit(ctx, userId, userId, bot, () => store.exec('UPDATE invite_links SET usage = usage + 1 WHERE id = ?', link.id), via) };
}

function usableLink(ctx: RoomContext, userId: number, tokenHash: string): { link: InviteRow; isMember: boolean } {
  const { store } = ctx;
  const chat = chatRow(store);
  const link = chat && isManaged(chat.kind) ? inviteByHash(store, tokenHash) : undefined;
  if (!link || link.revoked) throw fail.inviteInvalid();
  // A link works only while its creator may still invite: one who left, or lost the right, takes their links along.
  const creator = memberRow(store, link.creator_id);
  if (!creator || !may(store, chat!, creator, 'can_invite_users', ctx.now())) throw fail.inviteInvalid();
  const isMember = memberRow(store, userId) !== undefined;
  if (!isMember && !admitsMore(link, ctx.now())) throw fail.inviteInvalid();
  return { link, isMember };
}

function admitsMore(link: InviteRow, now: number): boolean {
  const expired = link.expire_date !== null && link.expire_date <= now;
  const usedUp = link.member_limit !== null && link.usage >= link.member_limit;
  return !expired && !usedUp;
}

function inviteByHash(store: SqlStore, tokenHash: string): InviteRow | undefined {
  return one<InviteRow>(store, 'SELECT * FROM invite_links WHERE token_hash = ?', tokenHash);
}

function toLink(ctx: RoomContext, row: InviteRow): ChatInviteLink {
  const requests = row.creates_join_request ? pendingThroughLink(ctx, row.id) : 0;
  return {
    id: row.id,
    token: row.token,
    creator_id: row.creator_id,
    ...(row.name !== null ? { name: row.name } : {}),
    created_at: row.created_at,
    ...(row.expire_date !== null ? { expire_date: row.expire_date } : {}),
    ...(row.member_limit !== null ? { member_limit: row.member_limit } : {}),
    usage: row.usage,
    is_revoked: row.revoked !== 0,
    ...(row.is_primary ? { is_primary: true } : {}),
    ...(row.creates_join_request ? { creates_join_request: true, pending_join_request_count: requests } : {}),
  };
}

export const inviteVerbs = { createInvite, listInvites, revokeInvite, editInvite, revokeInviteByHash, previewInvite, joinByInvite };
