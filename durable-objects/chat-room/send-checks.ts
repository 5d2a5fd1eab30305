import { fail } from '../../protocol/errors.js';
import { checkMayPost, signatureOf, type Signature } from './channels.js';
import { checkNotBlocked } from './blocks.js';
import type { RoomContext } from './context.js';
import { checkMaySend, checkSlowMode, type SendKind } from './restrictions.js';
import type { LimitedAction } from './rate-limit.js';
import { requireMember } from './state.js';

/**
 * What a new message must pass, run by the send verbs after their
 * idempotency look-up, so a retry of a send committed before a restriction
 * (or before the bucket ran dry) is still answered: posting rights (see
 * ./channels.ts), a block between a private chat's two (./blocks.ts), the chat's permissions and the sender's restriction,
 * slow mode (./restrictions.ts), the signature a signed channel's post
 * needs (or an anonymous admin's), then the rate. Returns that signature.
 */
export function checkSend(
  ctx: RoomContext,
  senderId: number,
  kind: SendKind,
  authorName: string | undefined,
  // The verb's own look-up, when it made one (a send is the hot path: one read, not two).
  { chat, member }: ReturnType<typeof requireMember> = requireMember(ctx.store, senderId),
): Signature {
  checkMayPost(ctx.store, chat, member, ctx.now());
  checkNotBlocked(ctx.store, chat, member);
  checkMaySend(ctx.store, chat, member, kind, ctx.now());
  checkSlowMode(ctx.store, chat, member, ctx.now());
  const signature = signatureOf(chat, member, authorName);
  takeSendToken(ctx, senderId);
  return signature;
}

/** One token of the sender's message bucket (messages, albums), or RATE_LIMITED with the wait. */
export function takeSendToken(ctx: RoomContext, senderId: number): void {
  takeToken(ctx, senderId, 'send');
}

/** One token of a member's bucket for `action` (see ./rate-limit.ts), or RATE_LIMITED with the wait. */
export function takeToken(ctx: RoomContext, userId: number, action: LimitedAction): void {
  const wait = ctx.buckets.take(userId, action, ctx.rules[action]);
  if (wait > 0) throw fail.rateLimited(wait);
}
