import { ErrorCode } from '../../protocol/errors.js';
import { GLOBAL_SEARCH_CHATS } from '../../protocol/methods.js';
import type { Message } from '../../protocol/messages.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import type { Handlers } from './dispatch.js';

/**
 * Message search. Each chat searches its own messages (its ChatRoom holds
 * the full-text index and decides what the caller may see); a search across
 * chats asks the caller's most recently active chats at once and merges
 * their newest matches, so it costs one call per chat and nothing is
 * indexed twice.
 */
export const searchHandlers: Handlers<'searchMessages' | 'searchGlobal'> = {
  async searchMessages(ctx, p) {
    return { messages: unwrap(await chatRoom(ctx.env, p.chat_id).search(ctx.caller.userId, p.query, p.offset_id, p.limit)) };
  },
  async searchGlobal(ctx, p) {
    const dialogs = await ctx.own.getDialogs({ limit: GLOBAL_SEARCH_CHATS });
    const chats = dialogs.filter((d) => d.is_member).map((d) => d.chat.id);
    const perChat = await Promise.all(
      chats.map(async (chatId) => {
        const found = await chatRoom(ctx.env, chatId).search(ctx.caller.userId, p.query, undefined, p.limit);
        // A chat the caller left a moment ago answers NOT_FOUND: it simply has no results.
        if (!found.ok && found.error.code === ErrorCode.NOT_FOUND) return [];
        return unwrap(found);
      }),
    );
    return { messages: newestFirst(perChat.flat()).slice(0, p.limit) };
  },
};

function newestFirst(messages: Message[]): Message[] {
  return messages.sort((a, b) => b.date - a.date || b.chat_id - a.chat_id || b.id - a.id);
}
