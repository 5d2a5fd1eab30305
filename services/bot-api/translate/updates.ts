import { database } from '../../../d1/db.js';
import { findAccountsByIds, toUser } from '../../../d1/queries/accounts.js';
import type { User } from '../../../protocol/common.js';
import type { Chat, Message } from '../../../protocol/messages.js';
import type { Update } from '../../../protocol/updates.js';
import type { BotApiChatInviteLink, BotApiChatMemberUpdated, BotApiUpdate } from '../../../protocol/bot-api/types.js';
import { appOrigin } from '../context.js';
import type { Env } from '../../../durable-objects/env.js';
import { chatRoom } from '../../../durable-objects/stubs.js';
import type { BotBatch, QueuedUpdate } from '../../../durable-objects/user-mailbox/bot-queue.js';
import { botChatOf, replyKey, seconds, toBotMessage, usersNamedBy, type View } from './messages.js';
import { toBotServiceMessage, usersNamedByService } from './service.js';
import { privatePeer, toBotChatMember, toBotMember, userOf } from './users.js';

/**
 * Loads what a batch of messages needs to be translated, in a few batched
 * reads: the accounts they name (D1), their chats (given, else asked from
 * the ChatRoom as the bot) and the messages they reply to (from each
 * ChatRoom, as the bot, so nothing the bot may not see leaks).
 */
export async function loadView(
  env: Env,
  botId: number,
  input: {
    messages: readonly Message[];
    chats: readonly Chat[];
    userIds?: readonly number[];
    /** More messages to load beside the replied-to ones (pinned messages of service events). */
    refs?: readonly { chat_id: number; id: number }[];
  },
): Promise<View> {
  const chats = new Map(input.chats.map((c) => [c.id, c]));
  const missing = [...new Set([...input.messages, ...(input.refs ?? [])].map((m) => m.chat_id))].filter((id) => !chats.has(id));
  await Promise.all(
    missing.map(async (chatId) => {
      const got = await chatRoom(env, chatId).getChat(botId);
      if (got.ok) chats.set(chatId, got.value.chat);
    }),
  );
  const replyIds = new Map<number, number[]>();
  for (const m of input.messages) {
    if (m.reply_to_message_id !== null) replyIds.set(m.chat_id, [...(replyIds.get(m.chat_id) ?? []), m.reply_to_message_id]);
  }
  for (const r of input.refs ?? []) replyIds.set(r.chat_id, [...(replyIds.get(r.chat_id) ?? []), r.id]);
  const replies = new Map<string, Message>();
  await Promise.all(
    [...replyIds].map(async ([chatId, ids]) => {
      const got = await chatRoom(env, chatId).getMessages(botId, [...new Set(ids)].slice(0, 100));
      if (got.ok) for (const r of got.value) replies.set(replyKey(chatId, r.id), r);
    }),
  );
  const ids = new Set<number>([botId, ...(input.userIds ?? [])]);
  for (const m of [...input.messages, ...replies.values()]) usersNamedBy(m).forEach((id) => ids.add(id));
  for (const c of chats.values()) {
    const peer = privatePeer(c, botId);
    if (peer !== undefined) ids.add(peer);
  }
  const rows = await findAccountsByIds(database(env.DB), [...ids]);
  const users = new Map<number, User>(rows.map((r) => [r.id, toUser(r)]));
  return { botId, users, chats, replies };
}

/** A batch from the bot's mailbox as Bot API Updates, `update_id` = the update's pts. */
export async function toBotUpdates(env: Env, botId: number, batch: BotBatch): Promise<BotApiUpdate[]> {
  if (batch.updates.length === 0) return [];
  const messages: Message[] = [];
  const userIds: number[] = [];
  const refs: { chat_id: number; id: number }[] = [];
  for (const q of batch.updates) {
    const u = q.update;
    if (u.type === 'new_message' || u.type === 'edit_message' || u.type === 'callback_query') messages.push(u.message);
    if (u.type === 'chat_member') userIds.push(u.actor_id, u.member.user_id, ...(u.invite_link ? [u.invite_link.creator_id] : []));
    if (u.type === 'callback_query') userIds.push(u.from_id);
    if (u.type === 'chat_join_request') userIds.push(u.user_id, ...(u.invite_link ? [u.invite_link.creator_id] : []));
    if (u.type === 'message_reactions') userIds.push(u.user_id);
    if (u.type === 'service') {
      userIds.push(...usersNamedByService(u));
      if (u.action.kind === 'message_pinned') refs.push({ chat_id: u.chat_id, id: u.action.message_id });
    }
  }
  const view = await loadView(env, botId, { messages, chats: batch.chats, userIds, refs });
  return batch.updates.flatMap((q) => {
    const update = toBotUpdate(q, view, appOrigin(env));
    return update ? [update] : [];
  });
}

/** `origin`: where links in the update open (the app's). */
export function toBotUpdate(q: QueuedUpdate, view: View, origin: string): BotApiUpdate | null {
  const u: Update = q.update;
  switch (q.kind) {
    case 'message':
    case 'edited_message':
    case 'channel_post':
    case 'edited_channel_post':
      if (u.type === 'service') {
        // A service message is always new: `message`, or `channel_post` in a channel.
        const key = q.kind === 'channel_post' ? 'channel_post' : 'message';
        return { update_id: q.update_id, [key]: toBotServiceMessage(u, q.date, view) };
      }
      if (u.type !== 'new_message' && u.type !== 'edit_message') return null;
      return { update_id: q.update_id, [q.kind]: toBotMessage(u.message, view) };
    case 'my_chat_member':
    case 'chat_member': {
      if (u.type !== 'chat_member') return null;
      const user = userOf(view.users, u.member.user_id);
      const oldRole = u.old_role !== undefined ? u.old_role : u.left ? u.member.role : null;
      const changed: BotApiChatMemberUpdated = {
        chat: botChatOf(view, u.chat_id),
        from: userOf(view.users, u.actor_id),
        date: seconds(q.date),
        old_chat_member: toBotChatMember(oldRole, user),
        new_chat_member: toBotMember(u.left ? null : u.member, user, view.chats.get(u.chat_id)?.kind, view.botId),
        ...(u.invite_link ? { invite_link: toBotJoinLink(u.invite_link, view, origin) } : {}),
      };
      return { update_id: q.update_id, [q.kind]: changed };
    }
    case 'callback_query':
      if (u.type !== 'callback_query') return null;
      return {
        update_id: q.update_id,
        callback_query: {
          id: u.id,
          from: userOf(view.users, u.from_id),
          message: toBotMessage(u.message, view),
          chat_instance: String(u.chat_id),
          data: u.data,
        },
      };
    case 'message_reaction':
      if (u.type !== 'message_reactions') return null;
      return {
        update_id: q.update_id,
        message_reaction: {
          chat: botChatOf(view, u.chat_id),
          message_id: u.message_id,
          user: userOf(view.users, u.user_id),
          date: seconds(q.date),
          old_reaction: u.old_reactions.map((emoji) => ({ type: 'emoji', emoji })),
          new_reaction: u.new_reactions.map((emoji) => ({ type: 'emoji', emoji })),
        },
      };
    case 'chat_join_request': {
      if (u.type !== 'chat_join_request') return null;
      const from = userOf(view.users, u.user_id);
      const about = view.users.get(u.user_id)?.about;
      return {
        update_id: q.update_id,
        chat_join_request: {
          chat: botChatOf(view, u.chat_id),
          from,
          user_chat_id: u.user_id,
          date: seconds(u.date),
          ...(about ? { bio: about } : {}),
          ...(u.invite_link ? { invite_link: { ...toBotJoinLink(u.invite_link, view, origin), creates_join_request: true } } : {}),
        },
      };
    }
    default: {
      const exhaustive: never = q.kind;
      throw new Error(`unknown update kind ${String(exhaustive)}`);
    }
  }
}

/**
 * The link a member joined through, as Telegram's chat_member.invite_link: whole
 * for its creator (the update's copy carries the token only then), its second
 * half cut to "…" for anyone else, as Telegram shows admins others' links.
 */
function toBotJoinLink(link: { creator_id: number; token?: string | undefined; name?: string | undefined }, view: View, origin: string): BotApiChatInviteLink {
  return {
    invite_link: link.token ? `${origin}/+${link.token}` : `${origin}/+…`,
    creator: userOf(view.users, link.creator_id),
    creates_join_request: false,
    is_primary: false,
    is_revoked: false,
    ...(link.name !== undefined ? { name: link.name } : {}),
  };
}
