import { fail } from '../../protocol/errors.js';
import type { RoomContext } from './context.js';
import { chatRow, chatSnapshot, isLarge } from './state.js';
import { commit } from './writer.js';

/**
 * Bulk members for local tests and the bench (a supergroup of 200,000 in
 * seconds). Reachable only through the Worker's dev seeding route, which
 * exists only when the local-only DEV_SEEDING binding is set; nothing in the
 * account or Bot API calls it. Members are written in one statement per
 * batch, with no event (nobody is told of a seeded join), except those in
 * `announceTo`: they get the usual `chat` update, so their mailbox knows the
 * chat (the clients a test or bench brings online).
 */
export function seedMembers(ctx: RoomContext, userIds: number[], announceTo: number[]): { member_count: number } {
  const { store } = ctx;
  const chat = chatRow(store);
  if (!chat || !isLarge(chat.kind)) throw fail.badRequest('Seeding is for supergroups');
  const now = ctx.now();
  commit(ctx, (emit) => {
    for (let i = 0; i < userIds.length; i += 5_000) {
      store.exec(
        `INSERT OR IGNORE INTO members (user_id, role, joined_at, read_inbox_max_id)
         SELECT value, 'member', ?1, ?2 FROM json_each(?3)`,
        now,
        chat.next_message_id - 1,
        JSON.stringify(userIds.slice(i, i + 5_000)),
      );
    }
    const wanted = new Set(userIds);
    emit.event(
      announceTo.filter((id) => wanted.has(id)),
      (uid) => ({ update: { type: 'chat', chat: chatSnapshot(store, uid) } }),
    );
  });
  return { member_count: chatRow(store)!.member_count };
}

export const seedingVerbs = { seedMembers };
