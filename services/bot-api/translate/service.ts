import type { BotApiChatType, BotApiMessage } from '../../../protocol/bot-api/types.js';
import type { Update } from '../../../protocol/updates.js';
import { GENERAL_TOPIC_ID } from '../../../protocol/topics.js';
import { botIdOfChat, botIdOfSupergroup } from '../chat-ids.js';
import { botChatOf, replyKey, seconds, toBotMessage, type View } from './messages.js';
import { userOf } from './users.js';
import { chatPhotoSizes } from './chat-photos.js';

type Service = Extract<Update, { type: 'service' }>;

/**
 * A service event as Telegram's service message. Edgegram's service events
 * take no message id (they are not in the chat's history), so message_id is
 * 0: replying to it or deleting it answers "message … not found".
 */
export function toBotServiceMessage(u: Service, date: number, view: View): BotApiMessage {
  const out: BotApiMessage = { message_id: 0, from: userOf(view.users, u.actor_id), chat: botChatOf(view, u.chat_id), date: seconds(date) };
  const a = u.action;
  switch (a.kind) {
    case 'group_created':
      return { ...out, ...createdField(out.chat.type) };
    case 'members_added':
      return { ...out, new_chat_members: a.user_ids.map((id) => userOf(view.users, id)) };
    case 'member_left':
      return { ...out, left_chat_member: userOf(view.users, a.user_id) };
    case 'title_changed':
      return { ...out, new_chat_title: a.title };
    case 'photo_changed':
      return { ...out, new_chat_photo: chatPhotoSizes(a.photo) };
    case 'photo_deleted':
      return { ...out, delete_chat_photo: true };
    case 'message_pinned': {
      const pinned = view.replies.get(replyKey(u.chat_id, a.message_id));
      // Telegram's InaccessibleMessage when the bot cannot see the pinned message.
      return {
        ...out,
        pinned_message: pinned
          ? toBotMessage(pinned, view, true)
          : { message_id: a.message_id, chat: out.chat, date: 0 },
      };
    }
    case 'migrated_to':
      return { ...out, migrate_to_chat_id: botIdOfSupergroup(a.chat_id) };
    case 'migrated_from':
      // Only basic groups migrate, so the old id is always the negated one.
      return { ...out, migrate_from_chat_id: botIdOfChat('group', a.chat_id) };
    case 'forum_topic_created':
      return { ...out, ...inTopic(a.topic_id), forum_topic_created: { name: a.name, icon_color: a.icon_color } };
    case 'forum_topic_edited':
      // Hiding General is its own service message in Telegram; a rename is forum_topic_edited.
      if (a.hidden !== undefined && a.name === undefined) {
        return { ...out, ...(a.hidden ? { general_forum_topic_hidden: {} } : { general_forum_topic_unhidden: {} }) };
      }
      return { ...out, ...inTopic(a.topic_id), forum_topic_edited: a.name !== undefined ? { name: a.name } : {} };
    case 'forum_topic_closed':
      return { ...out, ...inTopic(a.topic_id), forum_topic_closed: {} };
    case 'forum_topic_reopened':
      return { ...out, ...inTopic(a.topic_id), forum_topic_reopened: {} };
    default: {
      const exhaustive: never = a;
      throw new Error(`unknown service action ${JSON.stringify(exhaustive)}`);
    }
  }
}

/** A topic's service message is in that topic (General's carry no thread, as Telegram's). */
function inTopic(topicId: number): Pick<BotApiMessage, 'message_thread_id' | 'is_topic_message'> {
  return topicId === GENERAL_TOPIC_ID ? {} : { message_thread_id: topicId, is_topic_message: true };
}

/** Telegram's "created" flag for the chat's type. */
function createdField(type: BotApiChatType): Pick<BotApiMessage, 'group_chat_created' | 'supergroup_chat_created' | 'channel_chat_created'> {
  if (type === 'channel') return { channel_chat_created: true };
  return type === 'supergroup' ? { supergroup_chat_created: true } : { group_chat_created: true };
}

/** The accounts a service event names. */
export function usersNamedByService(u: Service): number[] {
  const a = u.action;
  return [u.actor_id, ...(a.kind === 'members_added' ? a.user_ids : a.kind === 'member_left' ? [a.user_id] : [])];
}
