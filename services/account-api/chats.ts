import { database } from '../../d1/db.js';
import { blockedBy } from '../../d1/queries/contacts.js';
import { ownersAllowing } from '../../d1/queries/privacy.js';
import { findAccountById, findAccountsByIds } from '../../d1/queries/accounts.js';
import { chatMembersPage, countOnlineMembers, createTitledChat, findChat } from '../../d1/queries/chats.js';
import { ErrorCode, fail, type ErrorBody } from '../../protocol/errors.js';
import type { Chat } from '../../protocol/messages.js';
import { botMembersOf } from '../bots/members.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom, fanoutShard } from '../../durable-objects/stubs.js';
import { FANOUT_SHARDS } from '../../durable-objects/fanout-shard/shard.js';
import { countChatWork } from './chat-limits.js';
import type { CallContext } from './context.js';
import type { Handlers } from './dispatch.js';
import { usersSeenBy } from './seen-users.js';

export const chatHandlers: Handlers<
  | 'createGroup'
  | 'createChannel'
  | 'createSupergroup'
  | 'migrateChat'
  | 'getChatMembers'
  | 'getChatOnlineCount'
  | 'getMessagesViews'
  | 'getChat'
  | 'addChatMember'
  | 'removeChatMember'
  | 'leaveChat'
  | 'editChatTitle'
  | 'editChatDescription'
  | 'toggleSignatures'
  | 'setChatAdmin'
  | 'restrictChatMember'
  | 'pinMessage'
  | 'unpinMessage'
  | 'unpinAllMessages'
> = {
  createGroup: (ctx, p) => createTitled(ctx, 'group', p.title, p.user_ids),
  createChannel: (ctx, p) => createTitled(ctx, 'channel', p.title, p.user_ids, { signatures: p.signatures }),
  createSupergroup: (ctx, p) => createTitled(ctx, 'supergroup', p.title, p.user_ids),
  async migrateChat(ctx, p) {
    return { chat: await migrateToSupergroup(ctx, p.chat_id, ctx.caller.userId, false) };
  },
  async getChatOnlineCount(ctx, p) {
    const { large } = unwrap(await chatRoom(ctx.env, p.chat_id).memberListAccess(ctx.caller.userId));
    if (!large) return { online: await countOnlineMembers(database(ctx.env.DB), p.chat_id) };
    // Whoever has a device online is subscribed to their shard: FANOUT_SHARDS calls, whatever the size.
    const counts = await Promise.all(Array.from({ length: FANOUT_SHARDS }, (_, shard) => fanoutShard(ctx.env, p.chat_id, shard).online()));
    return { online: counts.reduce((a, b) => a + b, 0) };
  },
  async getChatMembers(ctx, p) {
    const { member_count } = unwrap(await chatRoom(ctx.env, p.chat_id).memberListAccess(ctx.caller.userId));
    const db = database(ctx.env.DB);
    const rows = await chatMembersPage(db, p.chat_id, { query: p.query || undefined, offset: p.offset, limit: p.limit + 1 });
    const page = rows.slice(0, p.limit);
    const people = page.map((r) => ({ id: r.accountId, username: r.username, displayName: r.displayName, isBot: Boolean(r.isBot), about: r.about }));
    return {
      members: page.map((r) => ({ user_id: r.accountId, role: r.role, joined_at: r.joinedAt })),
      // Each member's privacy decides what the list shows of their bio and photo.
      users: await usersSeenBy(db, ctx.caller.userId, people),
      count: member_count,
      next_offset: rows.length > p.limit ? p.offset + p.limit : null,
    };
  },
  async getMessagesViews(ctx, p) {
    return { views: unwrap(await chatRoom(ctx.env, p.chat_id).getViews(ctx.caller.userId, p.ids, p.increment)) };
  },
  async getChat(ctx, p) {
    return unwrap(await chatRoom(ctx.env, p.chat_id).getChat(ctx.caller.userId));
  },
  async addChatMember(ctx, p) {
    const [bot] = await botMembersOf(ctx.env, [await requireUser(ctx, p.user_id)]);
    await refuseUnwillingInvitees(ctx, [p.user_id]);
    await countChatWork(database(ctx.env.DB), ctx.caller.userId, { chats: 0, people: 1 }, ctx.now());
    const added = await chatRoom(ctx.env, p.chat_id).addMember(ctx.caller.userId, p.user_id, bot);
    if (added.ok || !outgrewBasicGroup(added.error)) return { chat: unwrap(added) };
    // A full basic group becomes a supergroup by itself (Telegram's way), and the member joins that.
    const supergroup = await migrateToSupergroup(ctx, p.chat_id, ctx.caller.userId, true);
    return { chat: unwrap(await chatRoom(ctx.env, supergroup.id).addMember(ctx.caller.userId, p.user_id, bot)) };
  },
  async removeChatMember(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).removeMember(ctx.caller.userId, p.user_id)) };
  },
  async leaveChat(ctx, p) {
    unwrap(await chatRoom(ctx.env, p.chat_id).leave(ctx.caller.userId));
    return { ok: true as const };
  },
  async toggleSignatures(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).toggleSignatures(ctx.caller.userId, p.enabled)) };
  },
  async editChatTitle(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).editTitle(ctx.caller.userId, p.title)) };
  },
  async editChatDescription(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).editDescription(ctx.caller.userId, p.description)) };
  },
  async setChatAdmin(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).setAdmin(ctx.caller.userId, p.user_id, p.is_admin)) };
  },
  async restrictChatMember(ctx, p) {
    // An omitted permission stays allowed: the restriction narrows what it names.
    const permissions = {
      can_send_messages: p.can_send_messages,
      can_send_media: p.can_send_media,
      can_send_links: p.can_send_links ?? true,
      can_send_polls: p.can_send_polls ?? true,
      can_invite_users: p.can_invite_users ?? true,
      can_pin_messages: p.can_pin_messages ?? true,
      can_change_info: p.can_change_info ?? true,
      can_manage_topics: p.can_manage_topics ?? true,
    };
    const member = unwrap(await chatRoom(ctx.env, p.chat_id).restrict(ctx.caller.userId, p.user_id, permissions, p.until ?? null));
    return { member };
  },
  async pinMessage(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).pin(ctx.caller.userId, p.message_id)) };
  },
  async unpinMessage(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).unpin(ctx.caller.userId, p.message_id)) };
  },
  async unpinAllMessages(ctx, p) {
    return { chat: unwrap(await chatRoom(ctx.env, p.chat_id).unpinAll(ctx.caller.userId)) };
  },
};

/** CHAT_FULL from a basic group (not a channel or supergroup): the cue to convert it. */
function outgrewBasicGroup(error: ErrorBody): boolean {
  return error.code === ErrorCode.CHAT_FULL && /^A group holds/.test(error.message);
}

/**
 * A basic group becomes a supergroup: the group marks itself migrated
 * (read-only from then, members told) and answers who moves; the
 * supergroup is created with them, its admins and bots. Both steps are
 * idempotent, so a retry after a crash between them finishes the job.
 */
export async function migrateToSupergroup(ctx: CallContext, groupId: number, actorId: number, byServer: boolean): Promise<Chat> {
  const db = database(ctx.env.DB);
  const group = await findChat(db, groupId);
  if (!group || group.kind !== 'group') {
    // Not a basic group: the room gives the right answer (NOT_FOUND to a non-member, BAD_REQUEST otherwise).
    unwrap(await chatRoom(ctx.env, groupId).markMigrated(actorId, 0, byServer));
    throw fail.badRequest('Only basic groups become supergroups');
  }
  const now = ctx.now();
  // A fresh id; if the group was migrated before, it answers that migration and this id goes unused.
  const freshId = await createTitledChat(db, 'supergroup', group.title ?? '', group.creatorId ?? actorId, now);
  const moving = unwrap(await chatRoom(ctx.env, groupId).markMigrated(actorId, freshId, byServer));
  return unwrap(
    await chatRoom(ctx.env, moving.toChatId).init({
      chatId: moving.toChatId,
      kind: 'supergroup',
      title: moving.title,
      creatorId: moving.creatorId,
      memberIds: moving.memberIds,
      admins: moving.adminIds,
      bots: moving.bots,
      createdAt: now,
      migratedFrom: groupId,
      migratedBy: actorId,
      ...(moving.photo ? { photo: moving.photo } : {}),
      carried: moving.carried,
    }),
  );
}

/** A group or channel with its creator and the users they invite; every invited id must be an account. */
async function createTitled(
  ctx: CallContext,
  kind: 'group' | 'channel' | 'supergroup',
  title: string,
  userIds: number[],
  options: { signatures?: boolean } = {},
) {
  const db = database(ctx.env.DB);
  const named = [...new Set(userIds)].filter((id) => id !== ctx.caller.userId);
  if ((await findAccountsByIds(db, named)).length !== named.length) throw fail.notFound('User');
  const missing = await unwillingInvitees(ctx, named);
  const invited = named.filter((id) => !missing.includes(id));
  const found = await findAccountsByIds(db, invited);
  // A channel's bots start as admins (the ChatRoom sees to it: chat-room/channels.ts joiningRole).
  const bots = await botMembersOf(ctx.env, found);
  const now = ctx.now();
  await countChatWork(db, ctx.caller.userId, { chats: 1, people: invited.length }, now);
  const chatId = await createTitledChat(db, kind, title, ctx.caller.userId, now);
  const chat = unwrap(
    await chatRoom(ctx.env, chatId).init({
      chatId,
      kind,
      title,
      creatorId: ctx.caller.userId,
      memberIds: [ctx.caller.userId, ...invited],
      createdAt: now,
      bots,
      ...(options.signatures ? { signatures: true } : {}),
    }),
  );
  return { chat, ...(missing.length > 0 ? { missing_invitees: missing } : {}) };
}

async function requireUser(ctx: CallContext, userId: number) {
  const account = await findAccountById(database(ctx.env.DB), userId);
  if (!account) throw fail.notFound('User');
  return account;
}

/**
 * Of `userIds`, those whose "who can add me to groups" rule leaves the
 * caller out (Telegram's missing invitees: they get an invite link
 * instead). Someone who blocked the caller refuses the whole call
 * (USER_BLOCKED), as a block refuses everything.
 */
async function unwillingInvitees(ctx: CallContext, userIds: readonly number[]): Promise<number[]> {
  const db = database(ctx.env.DB);
  // The rule already counts a block (a blocker never allows): only a refusal asks which of the two it was.
  const willing = await ownersAllowing(db, ctx.caller.userId, userIds, 'group_invites');
  const unwilling = userIds.filter((id) => !willing.has(id));
  if (unwilling.length === 0) return [];
  if ((await blockedBy(db, ctx.caller.userId, unwilling)).size > 0) throw fail.userBlocked('invitations');
  return unwilling;
}

/** A single add (addChatMember) of someone unwilling is refused: USER_BLOCKED, or USER_PRIVACY_RESTRICTED (send an invite link). */
async function refuseUnwillingInvitees(ctx: CallContext, userIds: readonly number[]): Promise<void> {
  if ((await unwillingInvitees(ctx, userIds)).length > 0) throw fail.privacyRestricted();
}
