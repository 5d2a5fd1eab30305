import { z } from 'zod';
import { Id, shownText, Timestamp } from './common.js';

/**
 * Forum topics (Telegram's forums): a supergroup with Chat.is_forum splits
 * its messages into topics. Every message of a forum belongs to exactly one
 * (Message.message_thread_id); the General topic (GENERAL_TOPIC_ID) always
 * exists, holds what was sent before the chat became a forum and whatever
 * is sent without a topic, and can be renamed, closed and hidden but never
 * deleted. A topic is not a reply thread (Message.thread_id): a reply stays
 * in the topic of the message it answers, and threads live inside topics.
 */

/** The General topic's id, as in Telegram. Other topics are numbered from 2, in the order they were created. */
export const GENERAL_TOPIC_ID = 1;

/** Telegram's limit on a topic's name. */
export const MAX_TOPIC_NAME = 128;
export const TopicName = shownText(MAX_TOPIC_NAME);

/** The six colours Telegram offers for a topic's icon (RGB), the first being the default. */
export const TOPIC_ICON_COLORS = [0x6fb9f0, 0xffd67e, 0xcb86db, 0x8eee98, 0xff93b2, 0xfb6f5f] as const;
export const TopicIconColor = z
  .number()
  .int()
  .refine((c) => (TOPIC_ICON_COLORS as readonly number[]).includes(c), 'icon_color must be one of TOPIC_ICON_COLORS');

/** A topic as everyone sees it (what changes it, a `forum_topic` update carries whole). */
export const ForumTopic = z.object({
  /** The topic's id, which messages carry as message_thread_id; 1 is General. */
  id: Id,
  name: z.string(),
  icon_color: z.number().int(),
  /** Who created it; General's is the chat's creator. */
  creator_id: Id.nullable(),
  created_at: Timestamp,
  /** Closed: only those who may manage topics post in it (TOPIC_CLOSED for others). */
  is_closed: z.boolean(),
  /** General only: hidden from the topic list (its messages stay readable). */
  is_hidden: z.boolean(),
});
export type ForumTopic = z.infer<typeof ForumTopic>;

/** A topic in the caller's list: with its newest message's id and what the caller has not read in it. */
export const ForumTopicEntry = ForumTopic.extend({
  /** The newest message in it the caller can see; null when it has none. */
  top_message_id: Id.nullable(),
  /** Messages from others after the caller's read position in this topic. */
  unread_count: z.number().int().nonnegative(),
  /** The caller's read position in this topic (the chat's read position when the topic was never read on its own). */
  read_inbox_max_id: z.number().int().nonnegative(),
});
export type ForumTopicEntry = z.infer<typeof ForumTopicEntry>;

/** The most topics one getForumTopics page lists. */
export const FORUM_TOPICS_PAGE_LIMIT = 100;
