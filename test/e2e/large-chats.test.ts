import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { EdgegramClient } from '../../client/index.js';
import type { Message } from '../../protocol/messages.js';
import { sized, suiteSize } from '../support/suite-size.js';
import { startServer, type TestServer } from './support/server.js';

/**
 * A supergroup at scale on the real local server (as `npm start` runs it,
 * with the local-only seeding route): SEEDED members in the chat, a few
 * hundred of them online through the SDK over real WebSockets. Each online
 * member must apply each message exactly once and in order; members whose
 * devices were offline meanwhile catch up through getChannelDifference when
 * they reconnect and end up agreeing with getHistory.
 */
const SIZE = suiteSize(process.env);
const SEEDED = sized(SIZE, { quick: 5_000, soak: 20_000, long: 200_000 });
const ONLINE = sized(SIZE, { quick: 300, soak: 600, long: 1_000 });
const OFFLINE = 20;
const MESSAGES = 20;

type Seeded = { chat_id: number; member_ids: number[]; sessions: { user_id: number; token: string }[] };

/** A member's device: the SDK, and the messages of the chat in the order it applied them. */
class Member {
  readonly client: EdgegramClient;
  readonly seen: Message[] = [];

  constructor(baseUrl: string, token: string, chatId: number) {
    this.client = new EdgegramClient({
      baseUrl,
      token,
      device: { name: 'seeded', platform: 'node' },
      WebSocket: globalThis.WebSocket as never,
      backoff: { baseMs: 200, maxMs: 2_000 },
    });
    this.client.on('channelUpdate', ({ chat_id, envelope }) => {
      if (chat_id === chatId && envelope.update.type === 'new_message') this.seen.push(envelope.update.message);
    });
  }

  /** Online, in sync, and following the chat from its pts (learned from the dialog list). */
  async join(): Promise<void> {
    await this.client.connect();
    await this.client.api.getDialogs({});
  }
}

/** Runs `fn` over `items`, `parallel` at a time. */
async function inBatches<T>(items: T[], parallel: number, fn: (item: T) => Promise<void>): Promise<void> {
  for (let i = 0; i < items.length; i += parallel) await Promise.all(items.slice(i, i + parallel).map(fn));
}

async function until(check: () => boolean, what: string, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

let server: TestServer;
let seeded: Seeded;
let sender: Member;
let online: Member[] = [];
let offline: Member[] = [];

beforeAll(async () => {
  server = await startServer({ seeding: true });
  const res = await fetch(`${server.baseUrl}/v1/dev/seed-chat`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ kind: 'supergroup', title: 'Seeded', members: SEEDED, sessions: 1 + ONLINE + OFFLINE }),
  });
  expect(res.status).toBe(200);
  seeded = (await res.json()) as Seeded;
  const [creator, ...rest] = seeded.sessions;
  sender = new Member(server.baseUrl, creator!.token, seeded.chat_id);
  online = rest.slice(0, ONLINE).map((s) => new Member(server.baseUrl, s.token, seeded.chat_id));
  offline = rest.slice(ONLINE).map((s) => new Member(server.baseUrl, s.token, seeded.chat_id));
  await sender.join();
  await inBatches([...online, ...offline], 25, (m) => m.join());
}, 600_000);

afterAll(async () => {
  for (const m of [sender, ...online, ...offline]) m?.client.disconnect();
  await server?.stop();
});

describe(`a supergroup of ${SEEDED + 1} members with ${ONLINE} online`, () => {
  test('the chat holds every seeded member, and lists them in pages', async () => {
    const chat = await sender.client.api.getChat({ chat_id: seeded.chat_id });
    expect(chat.chat).toMatchObject({ kind: 'supergroup', member_count: SEEDED + 1 });
    const page = await online[0]!.client.api.getChatMembers({ chat_id: seeded.chat_id, offset: 1_000, limit: 50 });
    expect(page).toMatchObject({ count: SEEDED + 1, next_offset: 1_050 });
    expect(page.members).toHaveLength(50);
    const online_ = await sender.client.api.getChatOnlineCount({ chat_id: seeded.chat_id });
    expect(online_.online).toBeGreaterThanOrEqual(ONLINE);
  });

  test('each online member applies each message exactly once and in order; offline ones catch up and agree with history', async () => {
    for (const m of offline) m.client.disconnect();
    const sent: Message[] = [];
    for (let i = 0; i < MESSAGES; i++) sent.push(await sender.client.sendMessage({ chat_id: seeded.chat_id }, `post ${i}`));
    const ids = sent.map((m) => m.id);
    await until(() => online.every((m) => m.seen.length >= MESSAGES), 'every online member to see every message');
    for (const m of online) expect(m.seen.map((x) => x.id)).toEqual(ids);

    // The offline members come back: the SDK asks getChannelDifference from where each stood.
    await inBatches(offline, 10, (m) => m.client.connect());
    await until(() => offline.every((m) => m.seen.length >= MESSAGES), 'the offline members to catch up');
    const { messages } = await offline[0]!.client.api.getHistory({ chat_id: seeded.chat_id, limit: MESSAGES });
    for (const m of offline) expect(m.seen.map((x) => x.id)).toEqual(messages.map((x) => x.id));
    expect(messages.map((x) => x.id)).toEqual(ids);
    // Nothing more arrives later (no duplicates from a late push).
    await new Promise((r) => setTimeout(r, 500));
    for (const m of [...online, ...offline]) expect(m.seen).toHaveLength(MESSAGES);
  }, 300_000);

  test("a member's dialog shows the last post and the unread count from their read pointer", async () => {
    const reader = online[1]!;
    const { dialogs } = await reader.client.api.getDialogs({});
    const dialog = dialogs.find((d) => d.chat.id === seeded.chat_id);
    expect(dialog).toMatchObject({ unread_count: MESSAGES, top_message: { text: `post ${MESSAGES - 1}` } });
  });
});
