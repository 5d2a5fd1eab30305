import { z } from 'zod';
import { database } from '../../d1/db.js';
import { createAccount, toUser } from '../../d1/queries/accounts.js';
import { createTitledChat } from '../../d1/queries/chats.js';
import { insertSeedAccounts, insertSeedMemberships } from '../../d1/queries/seeding.js';
import { createSession } from '../../d1/queries/sessions.js';
import { unwrap } from '../../durable-objects/outcome.js';
import { chatRoom } from '../../durable-objects/stubs.js';
import { sqlRowsWritten } from '../../durable-objects/sql/store.js';
import { fail } from '../../protocol/errors.js';
import { MAX_SUPERGROUP_MEMBERS } from '../../protocol/messages.js';
import { newApp } from '../app.js';
import { SESSION_LIFETIME_MS } from '../auth/issue-session.js';
import { randomHexId, randomToken, sha256Hex } from '../auth/tokens.js';
import { jsonBody } from '../validate.js';

/**
 * Local-only seeding for tests and the bench: a supergroup or channel with
 * N members in seconds (accounts written in bulk, no password hashing,
 * nobody able to sign in as them), plus ready sessions for the few a test
 * brings online. Mounted only when the DEV_SEEDING binding is "1", which
 * only `npm start` (EDGEGRAM_DEV_SEEDING=1) and the test servers set; no
 * deployment has this route (a test checks wrangler.toml never sets it).
 */
export const SeedChatBody = z.strictObject({
  kind: z.enum(['supergroup', 'channel']),
  title: z.string().min(1).max(128),
  /** Members besides the creator. */
  members: z.number().int().min(0).max(MAX_SUPERGROUP_MEMBERS),
  /** How many of them (the first ones) get a session and the chat in their dialogs. */
  sessions: z.number().int().min(0).max(5_000),
});

export const devSeedingRoutes = newApp();

devSeedingRoutes.use('*', async (c, next) => {
  if (c.env.DEV_SEEDING !== '1') throw fail.notFound('Endpoint');
  await next();
});

devSeedingRoutes.post('/seed-chat', async (c) => {
  const body = await jsonBody(c, SeedChatBody);
  if (body.sessions > body.members + 1) throw fail.badRequest('sessions must not exceed the members');
  const db = database(c.env.DB);
  const now = Date.now();
  const prefix = `seed${randomHexId().slice(0, 8)}_`;
  const creator = await createAccount(db, { username: `${prefix}owner`, displayName: 'Seed owner', passwordHash: null, now });
  if (!creator) throw new Error('seed owner name taken');
  const memberIds = await insertSeedAccounts(db, prefix, body.members, now);
  const chatId = await createTitledChat(db, body.kind, body.title, creator.id, now);
  unwrap(
    await chatRoom(c.env, chatId).init({ chatId, kind: body.kind, title: body.title, creatorId: creator.id, memberIds: [creator.id], createdAt: now }),
  );
  const online = [creator.id, ...memberIds].slice(0, body.sessions);
  // In slices: one RPC argument stays well under the runtime's message limit.
  for (let i = 0; i < memberIds.length; i += 50_000) {
    const slice = memberIds.slice(i, i + 50_000);
    unwrap(await chatRoom(c.env, chatId).seedMembers(slice, online.filter((id) => slice.includes(id))));
  }
  await insertSeedMemberships(db, chatId, memberIds, now);
  const sessions: { user_id: number; token: string }[] = [];
  for (const accountId of online) {
    const token = randomToken();
    await createSession(db, {
      sessionId: randomHexId(),
      accountId,
      tokenHash: await sha256Hex(token),
      expiresAt: now + SESSION_LIFETIME_MS,
      device: {
        id: randomHexId(),
        accountId,
        name: 'Seeded device',
        platform: 'seed',
        appVersion: null,
        ip: null,
        country: null,
        city: null,
        createdAt: now,
        lastActiveAt: now,
      },
    });
    sessions.push({ user_id: accountId, token });
  }
  return c.json({ chat_id: chatId, creator: toUser(creator), member_ids: memberIds, sessions });
});

/** The ChatRoom's work figures (rows and calls per committed verb, shard pushes), for the bench; `reset` starts over. */
const ChatWorkBody = z.strictObject({ chat_id: z.number().int().positive(), reset: z.boolean().default(false) });

devSeedingRoutes.post('/chat-work', async (c) => {
  const body = await jsonBody(c, ChatWorkBody);
  return c.json(unwrap(await chatRoom(c.env, body.chat_id).workStats(body.reset)));
});

/** SQLite rows every object has written since the isolate started (durable-objects/sql/store.ts): the bench's rows per delivery. */
devSeedingRoutes.get('/sql-writes', (c) => c.json({ rows_written: sqlRowsWritten() }));
