import { EdgegramError } from '../../protocol/errors.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { Handlers } from './dispatch.js';

/**
 * Channel comments (durable-objects/chat-room/discussion.ts). Two rooms
 * take part in each call; the channel's is asked first, because being its
 * subscriber (or its admin, to link) is what authorizes the rest.
 */
export const discussionHandlers: Handlers<'setDiscussionGroup' | 'getDiscussionMessage' | 'getDiscussionReplies' | 'joinDiscussionGroup'> = {
  /**
   * Check the channel → link the group (which checks itself) → show the link
   * in the channel, which queues the old group's unlink. If the channel
   * refuses after the group linked (the caller lost the right in between),
   * the group is unlinked again, so a refusal changes nothing.
   */
  async setDiscussionGroup(ctx, p) {
    const channel = chatRoom(ctx.env, p.channel_id);
    const userId = ctx.caller.userId;
    const before = unwrap(await channel.checkMayLinkDiscussion(userId));
    if (p.group_id === null) return { chat: unwrap(await channel.setLinkedGroup(userId, null)) };
    const group = chatRoom(ctx.env, p.group_id);
    unwrap(await group.linkToChannel(userId, p.channel_id));
    try {
      return { chat: unwrap(await channel.setLinkedGroup(userId, p.group_id)) };
    } catch (err) {
      if (err instanceof EdgegramError && before.linked_chat_id !== p.group_id) await group.unlinkFromChannel(p.channel_id);
      throw err;
    }
  },
  async getDiscussionMessage(ctx, p) {
    const { group_id } = unwrap(await chatRoom(ctx.env, p.channel_id).discussionOf(ctx.caller.userId, p.post_id));
    return unwrap(await chatRoom(ctx.env, group_id).discussionRoot(ctx.caller.userId, p.channel_id, p.post_id));
  },
  async getDiscussionReplies(ctx, p) {
    const { group_id } = unwrap(await chatRoom(ctx.env, p.channel_id).discussionOf(ctx.caller.userId, p.post_id));
    const query = { direction: p.direction, limit: p.limit, ...(p.offset_id !== undefined ? { offset_id: p.offset_id } : {}) };
    return unwrap(await chatRoom(ctx.env, group_id).discussionReplies(ctx.caller.userId, p.channel_id, p.post_id, query));
  },
  async joinDiscussionGroup(ctx, p) {
    const { group_id } = unwrap(await chatRoom(ctx.env, p.channel_id).discussionGroupOf(ctx.caller.userId));
    return { chat: unwrap(await chatRoom(ctx.env, group_id).joinDiscussion(ctx.caller.userId, p.channel_id)) };
  },
};
