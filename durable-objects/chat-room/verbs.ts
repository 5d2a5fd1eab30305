import { EdgegramError, ErrorCode, fail } from '../../protocol/errors.js';
import { adminLogVerbs } from './admin-log.js';
import { adminVerbs } from './admins.js';
import { albumVerbs } from './album.js';
import { channelVerbs } from './channels.js';
import { discussionVerbs } from './discussion.js';
import type { RoomContext } from './context.js';
import { blockVerbs } from './blocks.js';
import { inviteVerbs } from './invites.js';
import { joinRequestVerbs } from './join-requests.js';
import { publicChatVerbs } from './public.js';
import { largeChatVerbs } from './large.js';
import { seedingVerbs } from './seeding.js';
import { membershipVerbs } from './membership.js';
import { messageVerbs } from './messages.js';
import { moderationVerbs } from './moderation.js';
import { photoVerbs } from './photo.js';
import { reactionVerbs } from './reactions.js';
import { readVerbs } from './reads.js';
import { restrictionVerbs } from './restrictions.js';
import { searchVerbs } from './search.js';
import { typingVerbs } from './typing.js';
import { topicVerbs } from './topics.js';
import { topicReadVerbs } from './topic-reads.js';

/**
 * Every ChatRoom verb, declared once: a function in its module taking the
 * room's context first, exported in that module's verb object. Everything
 * else is derived from this table: the logic's methods (room.ts), the DO's
 * one RPC entry (index.ts), the typed stub (../stubs.ts). A verb's
 * arguments and result cross DO RPC, so they are plain data.
 */
export const chatRoomVerbs = {
  ...membershipVerbs,
  ...adminVerbs,
  ...messageVerbs,
  ...albumVerbs,
  ...readVerbs,
  ...searchVerbs,
  ...typingVerbs,
  ...channelVerbs,
  ...moderationVerbs,
  ...restrictionVerbs,
  ...reactionVerbs,
  ...inviteVerbs,
  ...largeChatVerbs,
  ...seedingVerbs,
  ...adminLogVerbs,
  ...publicChatVerbs,
  ...blockVerbs,
  ...joinRequestVerbs,
  ...photoVerbs,
  ...topicVerbs,
  ...topicReadVerbs,
  ...discussionVerbs,
} satisfies Record<string, (ctx: RoomContext, ...args: never[]) => unknown>;

/** The modules' verb objects, for the test that no two of them declare the same name (a spread keeps only the last). */
export const verbModules = [
  membershipVerbs,
  adminVerbs,
  messageVerbs,
  albumVerbs,
  readVerbs,
  searchVerbs,
  typingVerbs,
  channelVerbs,
  moderationVerbs,
  restrictionVerbs,
  reactionVerbs,
  inviteVerbs,
  largeChatVerbs,
  seedingVerbs,
  adminLogVerbs,
  publicChatVerbs,
  blockVerbs,
  joinRequestVerbs,
  photoVerbs,
  topicVerbs,
  topicReadVerbs,
  discussionVerbs,
];

type Verbs = typeof chatRoomVerbs;
export type VerbName = keyof Verbs;
export type VerbArgs<V extends VerbName> = Verbs[V] extends (ctx: RoomContext, ...args: infer A) => unknown ? A : never;
export type VerbResult<V extends VerbName> = ReturnType<Verbs[V]>;

/** The room as its callers see it: every verb, without the context. */
export type ChatRoomApi = { [V in VerbName]: (...args: VerbArgs<V>) => VerbResult<V> };

export const verbNames = Object.keys(chatRoomVerbs) as VerbName[];

/** Own keys only: `constructor`, `toString` or `__proto__` are not verbs. */
export function isVerbName(name: unknown): name is VerbName {
  return typeof name === 'string' && Object.hasOwn(chatRoomVerbs, name);
}

/**
 * Work the DO does after a verb returned and before it answers. The verb's
 * writes are committed by then; this only decides when the caller hears.
 */
const beforeAnswer: { [V in VerbName]?: (ctx: RoomContext) => Promise<unknown> } = {
  // A new link must work the moment its creator has it: answer once D1 can
  // find its hash. If D1 failed, the outbox's alarm writes it shortly; the
  // link is created either way.
  createInvite: (ctx) => ctx.outbox.flushIndex(),
};

// The same table, typed so that indexing it with a generic verb keeps the
// verb's own signature (TypeScript's correlated-union pattern).
const table: { [V in VerbName]: (ctx: RoomContext, ...args: VerbArgs<V>) => VerbResult<V> } = chatRoomVerbs;

export function callVerb<V extends VerbName>(ctx: RoomContext, verb: V, args: VerbArgs<V>): VerbResult<V> {
  return table[verb](ctx, ...args);
}

/** One method per verb over `ctx`, synchronous like the verbs (unit tests call them directly). */
export function bindVerbs(ctx: RoomContext): ChatRoomApi {
  const bind =
    <V extends VerbName>(verb: V) =>
    (...args: VerbArgs<V>) =>
      callVerb(ctx, verb, args);
  // fromEntries loses the per-key types that `bind` had; the keys are exactly verbNames.
  return Object.fromEntries(verbNames.map((verb) => [verb, bind(verb)])) as ChatRoomApi;
}

/**
 * The RPC entry: a verb by name with its arguments, then its beforeAnswer
 * work. Names come over RPC, so anything but a registry verb is refused
 * with UNKNOWN_METHOD rather than looked up on an object. The arguments are
 * not re-validated: the only caller is the typed stub in ../stubs.ts, fed by
 * the method layer after it parsed the request.
 */
export async function runVerb(ctx: RoomContext, verb: unknown, args: unknown): Promise<unknown> {
  if (!isVerbName(verb)) throw new EdgegramError(ErrorCode.UNKNOWN_METHOD, `Unknown ChatRoom verb "${String(verb).slice(0, 64)}"`);
  if (!Array.isArray(args)) throw fail.badRequest(`Arguments of ${verb} must be a list`);
  const result = callVerb(ctx, verb, args as VerbArgs<typeof verb>);
  await beforeAnswer[verb]?.(ctx);
  return result;
}
