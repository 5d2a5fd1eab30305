import type { MembershipChange } from '../../d1/queries/chats.js';
import { ChatDescription, MAX_CHAT_DESCRIPTION } from '../../protocol/common.js';
import { ChatPhoto } from '../../protocol/media.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';
import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import {
  ChatTitle,
  type Chat,
  type ChatKind,
  type MemberRole,
} from '../../protocol/messages.js';
import type { CarriedSettings, ChatSpec } from './api.js';
import { chatMemberRecipients, saveBotMembers, type BotMember } from './bots.js';
import {
  chatFullError,
  chatUpdateFor,
  checkMayAddBot,
  isManaged,
  joiningRole,
  memberCap,
  membershipAudience,
  migrated,
} from './channels.js';
import { logChatChange } from './large.js';
import { isBanned } from './moderation.js';
import {
  ALL_PERMISSIONS_BITS,
  ALL_RIGHTS_BITS,
  chatPermissionBits,
  may,
  mayManage,
  requireRight,
  type Action,
} from './rights.js';
import { tellBots } from './service.js';
import { chatPhotoRefChanges } from './media.js';
import { noteAdminAction } from './admin-log.js';
import { settleRequestOnJoin } from './join-request-events.js';

/** What an admin may do unless told otherwise: everything admins could before rights were granular, except appointing admins. */
export const DEFAULT_ADMIN_BITS = 511;
import {
  botMemberRows,
  chatPhotoOf,
  chatRow,
  chatSnapshot,
  isLarge,
  lastVisible,
  memberRow,
  memberRows,
  requireMember,
  toChatMember,
  toMessage,
  type ChatRow,
  type MemberRow,
} from './state.js';
import { commit, same, type Copy, type Emit } from './writer.js';
import type { Update } from '../../protocol/updates.js';
import { one } from '../sql/store.js';
import type { RoomContext } from './context.js';

/**
 * Creating the chat and changing who is in it. Every change announces the new
 * `chat` snapshot first and then the `chat_member` change, to the members
 * after the change plus anyone who just left: so an added member's first
 * event is the `chat` update its mailbox needs to create the dialog, and a
 * removed one gets its final events and then no more.
 */

/** Creates the chat once; afterwards returns it unchanged, whatever the spec says. */
export function init(ctx: RoomContext, spec: ChatSpec): Chat {
  const { store } = ctx;
  const existing = chatRow(store);
  if (existing) return chatSnapshot(store, spec.creatorId ?? spec.memberIds[0] ?? 0, existing);
  const memberIds = [...new Set(spec.memberIds)];
  checkSpec(spec, memberIds);
  const isGroup = isManaged(spec.kind);
  return commit(ctx, (emit) => {
    store.exec(
      `INSERT INTO chat (id, kind, title, creator_id, created_at, next_message_id, next_event_seq, migrated_from, signatures, photo)
       VALUES (?, ?, ?, ?, ?, 1, 1, ?, ?, ?)`,
      spec.chatId,
      spec.kind,
      isGroup ? spec.title!.trim() : null,
      isGroup ? spec.creatorId : null,
      spec.createdAt,
      spec.migratedFrom ?? null,
      spec.kind === 'channel' && spec.signatures ? 1 : 0,
      isGroup && spec.photo ? JSON.stringify(spec.photo) : null,
    );
    if (isGroup && spec.photo) emit.index(chatPhotoRefChanges(spec.chatId, null, spec.photo));
    const botIds = new Set(spec.bots?.map((b) => b.user_id));
    for (const userId of memberIds) {
      const role: MemberRole = isGroup && userId === spec.creatorId ? 'creator' : joiningRole(spec.kind, botIds.has(userId));
      const admin = role === 'admin' || (spec.admins?.includes(userId) && role === 'member');
      store.exec(
        'INSERT INTO members (user_id, role, joined_at, rights, promoted_by) VALUES (?, ?, ?, ?, ?)',
        userId,
        admin ? 'admin' : role,
        spec.createdAt,
        admin ? DEFAULT_ADMIN_BITS : 0,
        admin ? spec.creatorId : null,
      );
    }
    saveBotMembers(store, spec.bots?.filter((b) => memberIds.includes(b.user_id)));
    if (isGroup && spec.carried) takeOver(ctx, spec.carried);
    const chat = chatSnapshot(store, spec.creatorId ?? memberIds[0]!);
    emit.event(memberIds, chatUpdateFor(store));
    emit.index(memberRows(store).map((m) => upsert(chat.id, m)));
    if (spec.migratedFrom !== undefined) {
      tellBots(store, emit, spec.migratedBy ?? spec.creatorId!, { kind: 'migrated_from', chat_id: spec.migratedFrom });
    } else if (isGroup) {
      tellBots(store, emit, spec.creatorId!, { kind: 'group_created', title: chat.title ?? '' });
    }
    return chat;
  });
}

export function addMember(ctx: RoomContext, actorId: number, userId: number, bot?: BotMember): Chat {
  requireAble(ctx, actorId, 'can_invite_users');
  if (!Number.isSafeInteger(userId) || userId <= 0) throw fail.badRequest('user_id must be a positive integer');
  if (memberRow(ctx.store, userId)) throw new EdgegramError(ErrorCode.CONFLICT, 'Already a member');
  return admit(ctx, actorId, userId, bot);
}

/**
 * The one way into a group after its creation: added by its creator or an
 * admin, or joined through an invite link (`actorId` is then the joiner).
 * Refuses a banned user and a full group, then writes the member and
 * announces the join; `alsoWrite` runs in the same transaction (a link's
 * usage, an approved request). A request the user had waiting is answered.
 */
export function admit(
  ctx: RoomContext,
  actorId: number,
  userId: number,
  bot: BotMember | undefined,
  alsoWrite?: (emit: Emit) => void,
  viaLink?: ViaLink,
): Chat {
  const { store } = ctx;
  const chat = chatRow(store)!;
  if (isBanned(store, userId, ctx.now())) throw fail.forbidden('This user is banned from the group');
  if (bot) checkMayAddBot(chat, memberRow(store, actorId));
  if (chat.migrated_to) throw migrated(chat);
  if (chat.member_count >= memberCap(chat.kind)) throw chatFullError(chat.kind);
  return commit(ctx, (emit) => {
    // Earlier history is readable but not unread: the new member's dialog starts at zero unread.
    const role = joiningRole(chat.kind, bot !== undefined);
    store.exec(
      'INSERT INTO members (user_id, role, joined_at, read_inbox_max_id, rights, promoted_by) VALUES (?, ?, ?, ?, ?, ?)',
      userId,
      role,
      ctx.now(),
      chat.next_message_id - 1,
      role === 'admin' ? DEFAULT_ADMIN_BITS : 0,
      role === 'admin' ? actorId : null,
    );
    const added = memberRow(store, userId)!;
    emit.index([upsert(chat.id, added)]);
    saveBotMembers(store, bot ? [{ ...bot, user_id: userId }] : []);
    alsoWrite?.(emit);
    settleRequestOnJoin(ctx, emit, userId, actorId);
    // Added by someone (not joining by a link): the adder's act.
    if (actorId !== userId) noteAdminAction(ctx, actorId, 'member_added', {}, userId);
    return announce(ctx, emit, actorId, [{ member: added, left: false, oldRole: null, ...(viaLink ? { viaLink } : {}) }]);
  });
}

/** The invite link a member joined through, as its chat_member update names it. */
export type ViaLink = { id: number; creator_id: number; name?: string; token: string };

export function removeMember(ctx: RoomContext, actorId: number, userId: number): Chat {
  const { store } = ctx;
  const { chat, member: actor } = requireAble(ctx, actorId, 'can_restrict_members');
  if (userId === actorId) throw fail.badRequest('To leave a group, use leave');
  const target = memberRow(store, userId);
  if (!target) throw fail.notFound('Member');
  if (target.role === 'creator') throw fail.forbidden('The creator cannot be removed');
  if (target.role === 'admin' && !mayManage(actor, target)) {
    throw fail.forbidden('Only the creator, or the admin who appointed them, may remove an admin');
  }
  const changed = commit(ctx, (emit) => {
    store.exec('DELETE FROM members WHERE user_id = ?', userId);
    emit.index([{ op: 'delete', chatId: chat.id, accountId: userId }]);
    noteAdminAction(ctx, actorId, 'member_removed', {}, userId);
    return announce(ctx, emit, actorId, [{ member: target, left: true, oldRole: target.role }]);
  });
  stopPushing(ctx, chat, userId);
  return changed;
}

/** After a large chat's member left: its fan-out shard forgets them (their mailbox would refuse the pushes anyway). */
function stopPushing(ctx: RoomContext, chat: ChatRow, userId: number): void {
  if (isLarge(chat.kind)) ctx.outbox.track(ctx.transport.unsubscribe(chat.id, userId));
}


/**
 * Anyone may leave a group. If the creator leaves, the longest-standing admin
 * (else the longest-standing member) becomes creator, so a group is never
 * left without someone who can manage it. The last member leaving leaves an
 * empty chat that nobody can reach.
 */
export function leave(ctx: RoomContext, userId: number): void {
  const { store } = ctx;
  const { chat, member } = requireMember(store, userId);
  if (!isManaged(chat.kind)) throw fail.badRequest('Private chats have fixed members and cannot be left');
  commit(ctx, (emit) => {
    store.exec('DELETE FROM members WHERE user_id = ?', userId);
    const changes: Change[] = [{ member, left: true, oldRole: member.role }];
    const index: MembershipChange[] = [{ op: 'delete', chatId: chat.id, accountId: userId }];
    if (member.role === 'creator') {
      // Admins before members, then by seniority: the admins through their index; only a chat
      // without admins sorts its members (once, when its creator leaves).
      const heir =
        one<MemberRow>(store, "SELECT * FROM members WHERE role <> 'member' AND role = 'admin' ORDER BY joined_at, user_id LIMIT 1") ??
        one<MemberRow>(store, 'SELECT * FROM members ORDER BY joined_at, user_id LIMIT 1');
      store.exec('UPDATE chat SET creator_id = ?', heir?.user_id ?? null);
      if (heir) {
        store.exec("UPDATE members SET role = 'creator' WHERE user_id = ?", heir.user_id);
        const promoted = memberRow(store, heir.user_id)!;
        changes.push({ member: promoted, left: false, oldRole: heir.role });
        index.push(upsert(chat.id, promoted));
      }
    }
    emit.index(index);
    announce(ctx, emit, userId, changes);
  });
  stopPushing(ctx, chat, userId);
}

export function editTitle(ctx: RoomContext, actorId: number, title: string): Chat {
  const { store } = ctx;
  const { chat } = requireAble(ctx, actorId, 'can_change_info');
  const parsed = ChatTitle.safeParse(title);
  if (!parsed.success) throw fail.badRequest('A title is 1-128 characters, visible, without control or bidi-override characters');
  if (parsed.data === chat.title) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET title = ?', parsed.data);
    noteAdminAction(ctx, actorId, 'title_changed', { title: parsed.data });
    // No member changed, so only the `chat` update: chat_member needs a member.
    const changed = announce(ctx, emit, actorId, []);
    tellBots(store, emit, actorId, { kind: 'title_changed', title: parsed.data });
    return changed;
  });
}

/** What the chat is about ('' clears it): admins with can_change_info (and members, where the chat lets them change info). */
export function editDescription(ctx: RoomContext, actorId: number, description: string): Chat {
  const { store } = ctx;
  const { chat } = requireAble(ctx, actorId, 'can_change_info');
  const parsed = ChatDescription.safeParse(description);
  if (!parsed.success) throw fail.badRequest(`A description is at most ${MAX_CHAT_DESCRIPTION} characters, without control or bidi-override characters`);
  const next = parsed.data || null;
  if (next === (chat.description ?? null)) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET description = ?', next);
    noteAdminAction(ctx, actorId, 'description_changed', { description: next ?? '' });
    return announce(ctx, emit, actorId, []);
  });
}

/** A channel's creator or an admin signs posts with the author's name, or stops (posts already sent keep theirs). */
export function toggleSignatures(ctx: RoomContext, actorId: number, enabled: boolean): Chat {
  const { store } = ctx;
  const { chat } = requireAble(ctx, actorId, 'can_change_info');
  if (chat.kind !== 'channel') throw fail.badRequest('Signatures are a setting of channels');
  if (Boolean(chat.signatures) === enabled) return chatSnapshot(store, actorId, chat);
  return commit(ctx, (emit) => {
    store.exec('UPDATE chat SET signatures = ?', enabled ? 1 : 0);
    noteAdminAction(ctx, actorId, 'signatures_toggled', { enabled });
    return announce(ctx, emit, actorId, []);
  });
}

/** Who moves to the supergroup a basic group becomes (see markMigrated). */
export type Migration = {
  toChatId: number;
  title: string;
  creatorId: number;
  memberIds: number[];
  adminIds: number[];
  bots: BotMember[];
  /** The group's photo, which the supergroup keeps. */
  photo?: ChatPhoto;
  /** Its description, permissions, slow mode and managers' rights and titles, which the supergroup keeps too. */
  carried: CarriedSettings;
};

/**
 * In a converted group's first transaction: the supergroup takes over what
 * the group had set (as Telegram keeps it): description, member
 * permissions, slow mode, and each admin's exact rights, title and
 * appointer (the creator's anonymity and title too). Bits outside the known
 * rights are dropped.
 */
function takeOver(ctx: RoomContext, carried: CarriedSettings): void {
  const { store } = ctx;
  store.exec(
    'UPDATE chat SET description = ?, permissions = ?, slow_mode_seconds = ?',
    carried.description,
    carried.permissions & ALL_PERMISSIONS_BITS,
    carried.slowModeSeconds,
  );
  for (const m of carried.managers) {
    store.exec(
      "UPDATE members SET rights = ?, title = ?, promoted_by = COALESCE(?, promoted_by) WHERE user_id = ? AND role <> 'member'",
      m.rights & ALL_RIGHTS_BITS,
      m.title,
      m.promoted_by,
      m.user_id,
    );
  }
}

/**
 * A basic group becoming a supergroup (Telegram's migration), step one, in
 * the group: only its creator may ask (or the server, when an add outgrows
 * the group: `actorId` is then the adder, who must manage it). From this
 * commit on the group is read-only (sends, joins and changes answer
 * CHAT_MIGRATED naming `toChatId`) and every member hears of it by a `chat`
 * update with `migrated_to`. Returns who moves over; the caller then creates
 * the supergroup with them (init is idempotent, and so is this: asked again,
 * it answers the first migration), so a crash between the two is repaired
 * by asking again.
 */
export function markMigrated(ctx: RoomContext, actorId: number, toChatId: number, byServer = false): Migration {
  const { store } = ctx;
  const { chat, member } = requireManager(ctx, actorId, true);
  if (chat.kind !== 'group') throw fail.badRequest('Only basic groups become supergroups');
  if (!byServer && member.role !== 'creator' && !chat.migrated_to) throw fail.forbidden('Only the creator may convert the group');
  const members = memberRows(store);
  const bots = store.exec<{ user_id: number; username: string; privacy: number }>('SELECT * FROM bot_members');
  const photo = chatPhotoOf(chat);
  const carried: CarriedSettings = {
    description: chat.description ?? null,
    permissions: chatPermissionBits(chat),
    slowModeSeconds: chat.slow_mode_seconds ?? 0,
    managers: members
      .filter((m) => m.role !== 'member')
      .map((m) => ({ user_id: m.user_id, rights: m.rights ?? 0, title: m.title ?? null, promoted_by: m.promoted_by ?? null })),
  };
  const moving: Migration = {
    toChatId: chat.migrated_to ?? toChatId,
    title: chat.title ?? '',
    creatorId: chat.creator_id ?? actorId,
    memberIds: members.map((m) => m.user_id),
    adminIds: members.filter((m) => m.role === 'admin').map((m) => m.user_id),
    bots: bots.map((b) => ({ user_id: b.user_id, username: b.username, privacy: b.privacy === 1 })),
    ...(photo ? { photo } : {}),
    carried,
  };
  if (chat.migrated_to) return moving;
  commit(ctx, (emit) => {
    store.exec('UPDATE chat SET migrated_to = ?', toChatId);
    emit.event(members.map((m) => m.user_id), chatUpdateFor(store));
    tellBots(store, emit, actorId, { kind: 'migrated_to', chat_id: toChatId });
  });
  return moving;
}

/** A member of a group (not migrated) who may take `action` (rights.ts). */
export function requireAble(ctx: RoomContext, actorId: number, action: Action) {
  const found = requireMember(ctx.store, actorId);
  requireGroup(found.chat.kind);
  if (found.chat.migrated_to) throw migrated(found.chat);
  requireRight(ctx.store, found.chat, found.member, action, ctx.now());
  return found;
}

/** The `chat` update alone, for a change of the chat itself (title, permissions, slow mode). */
export function announceChatChange(ctx: RoomContext, emit: Emit, actorId: number): Chat {
  return announce(ctx, emit, actorId, []);
}

/** A member who may manage the group: its creator or an admin. */
export function requireManager(ctx: RoomContext, actorId: number, evenIfMigrated = false) {
  const found = requireMember(ctx.store, actorId);
  requireGroup(found.chat.kind);
  // A migrated group is read-only; markMigrated alone looks at it again (to answer its first migration).
  if (found.chat.migrated_to && !evenIfMigrated) throw migrated(found.chat);
  if (found.member.role === 'member') throw fail.forbidden('Only the creator and admins may manage the group');
  return found;
}

export function requireGroup(kind: ChatKind): void {
  if (!isManaged(kind)) throw fail.badRequest('Private chats have fixed members; this works in groups and channels only');
}

/** Snapshot first (see the module comment), then one chat_member per change. */
/** One member's change: the row after it (before it, for who left) and the role they had before (null: joined). */
export type Change = { member: MemberRow; left: boolean; oldRole: MemberRole | null; viaLink?: ViaLink };

export function announce(ctx: RoomContext, emit: Emit, actorId: number, changes: Change[]): Chat {
  const row = chatRow(ctx.store)!;
  if (isLarge(row.kind)) return announceInLargeChat(ctx, emit, row, actorId, changes);
  const members = memberRows(ctx.store);
  const recipients = [...members.map((m) => m.user_id), ...changes.filter((c) => c.left).map((c) => c.member.user_id)];
  const newcomers = new Set(changes.filter((c) => !c.left && c.oldRole === null).map((c) => c.member.user_id));
  const snapshotFor = chatUpdateFor(ctx.store);
  // A newcomer's dialog starts with the history it can read: its top message
  // comes with the chat, not only with the next message someone sends.
  emit.event(recipients, (uid) => {
    if (!newcomers.has(uid)) return snapshotFor(uid);
    const top = lastVisible(ctx.store, uid);
    return { ...snapshotFor(uid), dialog: { top_message: top ? toMessage(row.id, top, uid) : null } };
  });
  const chat = chatSnapshot(ctx.store, actorId, row);
  for (const { member, left, oldRole, viaLink } of changes) {
    const audience = membershipAudience(row.kind, members, recipients, member.user_id);
    emit.event(
      chatMemberRecipients(ctx.store, members, audience, member.user_id),
      chatMemberCopy({ type: 'chat_member', chat_id: chat.id, actor_id: actorId, member: toChatMember(member), left, old_role: oldRole }, viaLink),
    );
  }
  const joined = changes.filter((c) => !c.left && c.oldRole === null).map((c) => c.member.user_id);
  if (joined.length > 0) tellBots(ctx.store, emit, actorId, { kind: 'members_added', user_ids: joined });
  for (const c of changes.filter((c) => c.left)) tellBots(ctx.store, emit, actorId, { kind: 'member_left', user_id: c.member.user_id });
  return chat;
}

/**
 * In a large chat nobody hears of anyone else's join or leave (no event per
 * member, so a join is O(1) for the chat): the member concerned gets their
 * snapshot (a newcomer with the top message, so the dialog starts right)
 * and their `chat_member`, bots that manage the chat get `chat_member` as in
 * small chats, and the count is read with the chat. A change everyone sees
 * (the title, who the admins are) is logged once for everyone.
 */
function announceInLargeChat(ctx: RoomContext, emit: Emit, row: ChatRow, actorId: number, changes: Change[]): Chat {
  const { store } = ctx;
  for (const { member, left, oldRole, viaLink } of changes) {
    const uid = member.user_id;
    const snapshot = chatSnapshot(store, uid, row);
    const top = !left && oldRole === null ? lastVisible(store, uid) : undefined;
    emit.event([uid], () => ({
      update: { type: 'chat', chat: snapshot },
      ...(top !== undefined ? { dialog: { top_message: toMessage(row.id, top, uid) } } : {}),
    }));
    const bots = botMemberRows(store);
    emit.event(
      chatMemberRecipients(store, bots, [uid, ...bots.map((b) => b.user_id)], uid),
      chatMemberCopy({ type: 'chat_member', chat_id: row.id, actor_id: actorId, member: toChatMember(member), left, old_role: oldRole }, viaLink),
    );
  }
  // The shared snapshot lists the managers, so it changes with the title (no member change) or with who manages.
  if (changes.length === 0 || changes.some(changesManagers)) logChatChange(ctx, emit, row);
  const joined = changes.filter((c) => !c.left && c.oldRole === null).map((c) => c.member.user_id);
  if (joined.length > 0) tellBots(store, emit, actorId, { kind: 'members_added', user_ids: joined });
  for (const c of changes.filter((c) => c.left)) tellBots(store, emit, actorId, { kind: 'member_left', user_id: c.member.user_id });
  return chatSnapshot(store, actorId, row);
}

/** Each recipient's copy of a chat_member update: the link joined through, its token for the link's creator only. */
function chatMemberCopy(update: Extract<Update, { type: 'chat_member' }>, viaLink: ViaLink | undefined): (userId: number) => Copy {
  if (!viaLink) return same(update);
  const { token, ...shown } = viaLink;
  return (userId) => ({ update: { ...update, invite_link: userId === viaLink.creator_id ? { ...shown, token } : shown } });
}

/** Whether a change adds someone to, or takes someone from, the creator and admins (a bot joining a channel joins as an admin). */
function changesManagers(c: Change): boolean {
  const before = c.oldRole;
  const after = c.left ? null : c.member.role;
  const manages = (role: MemberRole | null) => role === 'creator' || role === 'admin';
  return before !== after && (manages(before) || manages(after));
}

export function upsert(chatId: number, m: MemberRow): MembershipChange {
  return { op: 'upsert', chatId, accountId: m.user_id, role: m.role, joinedAt: m.joined_at };
}

function checkSpec(spec: ChatSpec, memberIds: number[]): void {
  if (!Number.isSafeInteger(spec.chatId) || spec.chatId <= 0) throw fail.badRequest('chatId must be a positive integer');
  if (memberIds.some((id) => !Number.isSafeInteger(id) || id <= 0)) throw fail.badRequest('Member ids must be positive integers');
  if (spec.kind === 'private') {
    // One member is the user's chat with itself ("Saved Messages").
    if (memberIds.length < 1 || memberIds.length > 2) throw fail.badRequest('A private chat has one or two members');
    return;
  }
  if (!ChatTitle.safeParse(spec.title ?? '').success) throw fail.badRequest('A title is 1-128 characters');
  if (spec.creatorId === null || !memberIds.includes(spec.creatorId)) {
    throw fail.badRequest('A group needs its creator among its members');
  }
  if (memberIds.length > memberCap(spec.kind)) throw chatFullError(spec.kind);
  if (spec.photo !== undefined && !safeParseUntrusted(ChatPhoto, spec.photo).success) throw fail.badRequest('Invalid chat photo');
}

export const membershipVerbs = {
  init,
  addMember,
  removeMember,
  leave,
  editTitle,
  editDescription,
  toggleSignatures,
  markMigrated,
};
