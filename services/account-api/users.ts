import { database } from '../../d1/db.js';
import { findAccountByUsername, findAccountsByIds, toUser } from '../../d1/queries/accounts.js';
import { fail } from '../../protocol/errors.js';
import type { Handlers } from './dispatch.js';

export const userHandlers: Handlers<'getUsers' | 'resolveUsername'> = {
  async getUsers(ctx, p) {
    const rows = await findAccountsByIds(database(ctx.env.DB), p.ids);
    return {
      users: rows.map(toUser),
      statuses: rows.map((r) => ({ user_id: r.id, online: r.online, last_seen: r.lastSeenAt ?? null })),
    };
  },
  async resolveUsername(ctx, p) {
    const row = await findAccountByUsername(database(ctx.env.DB), p.username);
    if (!row) throw fail.notFound('User');
    return { user: toUser(row) };
  },
};
