import type { Message, PostComments } from '../../protocol/messages.js';
import { one, type SqlStore } from '../sql/store.js';
import type { RoomContext } from './context.js';
import { toMessage, type ChatRow, type MessageRow } from './state.js';

/**
 * What the send, edit and delete paths do for channel comments
 * (./discussion.ts has the verbs): a new channel post is queued for the
 * discussion group, and so is an edit of one; a new or deleted comment
 * updates its post's count, queued for the channel;
 * and what history reads add to a channel's posts, their comment counts.
 * Each is one indexed statement or none in every other chat.
 */

/**
 * Inside a send's transaction, for every new message: a channel post goes
 * to the discussion group (a notice keyed by the post, so it is forwarded
 * once); a comment counts on the post it answers (a notice to the channel
 * with the new count, replacing one not yet sent).
 */
export function noteDiscussion(ctx: RoomContext, chat: { id: number; kind: ChatRow['kind'] }, row: MessageRow): void {
  if (chat.kind === 'channel') forwardPost(ctx, chat.id, row);
  else if (chat.kind === 'supergroup' && row.thread_id != null) countComments(ctx, [row.thread_id], { added: row.id });
}

/** Inside an edit's transaction: a forwarded post's copy in its discussion group gets the new text. */
export function noteEdited(ctx: RoomContext, chat: { id: number; kind: ChatRow['kind'] }, row: MessageRow): void {
  if (chat.kind !== 'channel') return;
  const discussion = one<{ group_id: number }>(ctx.store, 'SELECT group_id FROM post_discussions WHERE post_id = ?', row.id);
  if (!discussion) return;
  const post = toMessage(chat.id, row, 0);
  ctx.notices.enqueue(discussion.group_id, `edit:${row.id}`, {
    kind: 'post_edited',
    post_id: row.id,
    text: post.text,
    entities: post.entities,
    edit_date: row.edit_date ?? ctx.now(),
  });
}

/** Inside a deletion's transaction: the comment counts of the posts whose comments went. */
export function noteCommentsDeleted(ctx: RoomContext, rows: readonly MessageRow[]): void {
  const roots = [...new Set(rows.flatMap((r) => (r.thread_id != null ? [r.thread_id] : [])))];
  if (roots.length > 0) countComments(ctx, roots, { removed: rows.filter((r) => r.thread_id != null) });
}

function forwardPost(ctx: RoomContext, channelId: number, row: MessageRow): void {
  const chat = one<{ linked_chat_id: number | null; title: string | null }>(ctx.store, 'SELECT linked_chat_id, title FROM chat');
  const groupId = chat?.linked_chat_id;
  if (!groupId) return;
  const post = toMessage(channelId, row, 0);
  ctx.store.exec('INSERT OR IGNORE INTO post_discussions (post_id, group_id) VALUES (?, ?)', row.id, groupId);
  ctx.notices.enqueue(groupId, `post:${row.id}`, {
    kind: 'channel_post',
    post_id: row.id,
    date: row.date,
    text: post.text,
    entities: post.entities,
    media: post.media,
    chat_title: chat.title ?? '',
    ...(post.post_author ? { post_author: post.post_author } : {}),
  });
}

function countComments(ctx: RoomContext, roots: number[], change: { added: number } | { removed: readonly MessageRow[] }): void {
  const { store } = ctx;
  for (const root of roots) {
    const removed = 'removed' in change ? change.removed.filter((r) => r.thread_id === root).length : 0;
    // One indexed update per comment; a thread that is no discussion matches nothing.
    const [post] = store.exec<{ channel_id: number; post_id: number; count: number; max_id: number | null }>(
      `UPDATE discussion_posts SET count = MAX(0, count + ?2),
         max_id = CASE WHEN ?3 IS NOT NULL THEN ?3
                       ELSE (SELECT MAX(id) FROM messages WHERE thread_id = ?1 AND deleted = 0) END
       WHERE message_id = ?1 RETURNING channel_id, post_id, count, max_id`,
      root,
      'added' in change ? 1 : -removed,
      'added' in change ? change.added : null,
    );
    if (!post) continue;
    ctx.notices.enqueue(post.channel_id, `comments:${post.post_id}`, {
      kind: 'comments',
      post_id: post.post_id,
      count: post.count,
      max_id: post.max_id,
    });
  }
}

/** The channel side of history reads: each forwarded post's comments (one query for the page). */
export function withComments(store: SqlStore, messages: Message[]): Message[] {
  const posts = messages.filter((m) => m.views !== undefined);
  if (posts.length === 0) return messages;
  const rows = store.exec<{ post_id: number; count: number; max_id: number | null }>(
    'SELECT post_id, count, max_id FROM post_discussions WHERE post_id IN (SELECT value FROM json_each(?))',
    JSON.stringify(posts.map((m) => m.id)),
  );
  if (rows.length === 0) return messages;
  const byPost = new Map(rows.map((r) => [r.post_id, commentsOf(r)]));
  return messages.map((m) => {
    const comments = byPost.get(m.id);
    return comments ? { ...m, comments } : m;
  });
}

export function commentsOf(row: { count: number; max_id: number | null }): PostComments {
  return { count: row.count, ...(row.max_id !== null && row.count > 0 ? { max_id: row.max_id } : {}) };
}
