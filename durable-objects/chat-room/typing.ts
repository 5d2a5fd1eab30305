import { fail } from '../../protocol/errors.js';
import type { RoomContext } from './context.js';
import { isLarge, memberRows, requireMember } from './state.js';

/**
 * Typing notices: ephemeral, pushed to the other members' online devices
 * through the transport, never stored and never in the outbox (a late
 * "typing" is worse than none). Rate-limited per user (see ./rate-limit.ts);
 * in a large chat also aggregated per chat (./chat-typing.ts).
 */
export function setTyping(ctx: RoomContext, userId: number, action: 'typing' | 'cancel'): void {
  const { chat } = requireMember(ctx.store, userId);
  // Nobody is shown typing in a channel: posts appear as the channel's.
  if (chat.kind === 'channel') return;
  if (!ctx.typing.allow(userId, action)) throw fail.rateLimited(1);
  const event = { type: 'typing', chat_id: chat.id, user_id: userId, action } as const;
  // A large chat: to everyone online through the shards, at most one notice per window (chat-typing.ts).
  if (isLarge(chat.kind)) return ctx.chatTyping.offer(event);
  const others = memberRows(ctx.store)
    .map((m) => m.user_id)
    .filter((id) => id !== userId);
  if (others.length === 0) return;
  ctx.outbox.track(ctx.transport.pushEphemeral(others, event));
}

export const typingVerbs = { setTyping };
