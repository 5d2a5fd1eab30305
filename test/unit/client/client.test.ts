import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EdgegramClient, MemorySyncStore, type ClientOptions, type ConnectionState } from '../../../client/index.js';
import type { Message } from '../../../protocol/messages.js';
import { methodNames } from '../../../protocol/methods.js';
import { FakeServer, NO_REPLY, TOKEN, USER } from './fake-server.js';

let server: FakeServer;
const clients: EdgegramClient[] = [];

beforeEach(async () => {
  server = await FakeServer.start();
});
afterEach(async () => {
  for (const client of clients.splice(0)) client.disconnect();
  await server.stop();
});

function makeClient(options: Partial<ClientOptions> = {}): EdgegramClient {
  const client = new EdgegramClient({
    baseUrl: server.url,
    device: { name: 'test', platform: 'node' },
    token: TOKEN,
    backoff: { baseMs: 10, maxMs: 40 },
    random: () => 1,
    ...options,
  });
  clients.push(client);
  return client;
}

function record(client: EdgegramClient) {
  const seen = { states: [] as ConnectionState[], messages: [] as Message[], errors: [] as Error[] };
  client.on('state', (s) => seen.states.push(s));
  client.on('message', (m) => seen.messages.push(m));
  client.on('error', (e) => seen.errors.push(e));
  return seen;
}

const message = (id: number, text = `m${id}`): Message => ({
  chat_id: 7,
  id,
  sender_id: 2,
  date: 1,
  text,
  entities: [],
  reply_to_message_id: null,
  fwd_from: null,
  media: null,
  edit_date: null,
});

describe('EdgegramClient against a fake server', () => {
  it('a fresh device connects, reads the hello and starts from getState', async () => {
    server.record({ type: 'new_message', message: message(1) });
    const client = makeClient();
    const seen = record(client);
    await client.connect();
    expect(server.calls.map((c) => c.method)).toEqual(['getState']);
    expect(client.hello?.user_id).toBe(USER.id);
    expect(client.pts).toBe(1);
    expect(seen.messages).toEqual([]);
    expect(seen.states).toEqual(['connecting', 'updating', 'online']);
  });

  it('a device with a saved pts catches up with getDifference at start and saves its new position', async () => {
    server.record({ type: 'new_message', message: message(1) }, { type: 'new_message', message: message(2) });
    const store = new MemorySyncStore(0);
    const client = makeClient({ syncStore: store });
    const seen = record(client);
    await client.connect();
    expect(server.callsOf('getDifference').map((c) => c.params)).toEqual([{ pts: 0 }]);
    expect(seen.messages.map((m) => m.id)).toEqual([1, 2]);
    expect(store.load()).toBe(2);
  });

  it('applies pushed updates and fills a gap with getDifference', async () => {
    const client = makeClient();
    const seen = record(client);
    await client.connect();
    server.push(server.record({ type: 'new_message', message: message(1) }));
    await vi.waitFor(() => expect(seen.messages).toHaveLength(1));
    server.record({ type: 'new_message', message: message(2) }); // never pushed
    server.push(server.record({ type: 'new_message', message: message(3) }));
    await vi.waitFor(() => expect(seen.messages.map((m) => m.id)).toEqual([1, 2, 3]));
    expect(server.callsOf('getDifference').map((c) => c.params)).toEqual([{ pts: 1 }]);
    expect(client.pts).toBe(3);
  });

  it('emits tooLong and continues from the server state when too much was missed', async () => {
    server.record({ type: 'new_message', message: message(1) });
    server.handle('getDifference', () => ({ kind: 'too_long', state: { pts: 1, date: 1 } }));
    const client = makeClient({ syncStore: new MemorySyncStore(0) });
    const tooLong = vi.fn();
    client.on('tooLong', tooLong);
    await client.connect();
    expect(tooLong).toHaveBeenCalledWith({ pts: 1, date: 1 });
    expect(client.pts).toBe(1);
  });

  it("emits a pushed profile change as 'user', and keeps its own account's new profile in `user`", async () => {
    const client = makeClient();
    await client.useSession(TOKEN);
    await client.connect();
    const seen: unknown[] = [];
    client.on('user', (u) => seen.push(u));
    const bob = { id: 2, username: 'bob_2', display_name: 'Bob', is_bot: false };
    const renamed = { ...USER, display_name: 'Alice L', about: 'Curious' };
    server.sendRaw(JSON.stringify({ t: 'event', event: { type: 'user', user: bob } }));
    server.sendRaw(JSON.stringify({ t: 'event', event: { type: 'user', user: renamed } }));
    await vi.waitFor(() => expect(seen).toEqual([bob, renamed]));
    expect(client.user).toEqual(renamed);
  });

  it('queues calls made before connecting and sends them once connected', async () => {
    const client = makeClient();
    const dialogs = client.call('leaveChat', { chat_id: 7 });
    expect(server.calls).toEqual([]);
    await client.connect();
    await expect(dialogs).resolves.toEqual({ ok: true });
  });

  it('re-sends a send in flight when the socket drops, with the same random_id, after resyncing; it resolves once', async () => {
    let attempts = 0;
    server.handle('sendMessage', (params, { socket, server }) => {
      const stored = server.sendMessage(params);
      // The first time, the message is stored but the answer is lost with the socket.
      if (attempts++ === 0) {
        socket.terminate();
        return NO_REPLY;
      }
      return { message: stored };
    });
    const client = makeClient();
    const seen = record(client);
    await client.connect();
    const resolved = vi.fn();
    const sent = await client.sendMessage({ user_id: 2 }, 'hello').then((m) => (resolved(), m));
    expect(sent.text).toBe('hello');
    expect(resolved).toHaveBeenCalledTimes(1);
    expect(server.storedMessages).toBe(1);
    const sends = server.callsOf('sendMessage');
    expect(sends.map((c) => c.socket)).toEqual([0, 1]);
    expect(sends[1]!.params.random_id).toBe(sends[0]!.params.random_id);
    expect(sends[0]!.params.random_id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // The second socket resynced before going online, and the update arrived exactly once.
    expect(server.calls.filter((c) => c.socket === 1).map((c) => c.method)).toContain('getDifference');
    await vi.waitFor(() => expect(seen.messages).toHaveLength(1));
    expect(server.tickets).toBe(2);
  });

  it('on close code 4001 emits terminated, rejects pending calls and does not reconnect', async () => {
    server.handle('getDialogs', () => NO_REPLY);
    const client = makeClient();
    const terminated = vi.fn();
    client.on('terminated', terminated);
    await client.connect();
    const pending = client.api.getDialogs();
    await vi.waitFor(() => expect(server.callsOf('getDialogs')).toHaveLength(1));
    server.closeAll(4001, 'session terminated');
    await expect(pending).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(terminated).toHaveBeenCalledWith({ reason: 'session terminated' });
    expect(client.state).toBe('terminated');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.tickets).toBe(1);
    await expect(client.call('getState', {})).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('treats an UNAUTHORIZED ticket answer as a terminated session', async () => {
    server.ticketFailure = { status: 401, error: { code: 'UNAUTHORIZED', message: 'Session ended' } };
    const client = makeClient();
    await expect(client.connect()).rejects.toMatchObject({ code: 'UNAUTHORIZED' });
    expect(client.state).toBe('terminated');
  });

  it('a frame that fails schema parsing emits error but does not kill the client', async () => {
    const client = makeClient();
    const seen = record(client);
    await client.connect();
    server.sendRaw('{"t":"updates","updates":[]}');
    server.sendRaw('not json');
    await vi.waitFor(() => expect(seen.errors).toHaveLength(2));
    expect(seen.errors.every((e) => (e as { code?: string }).code === 'PROTOCOL')).toBe(true);
    server.push(server.record({ type: 'new_message', message: message(1) }));
    await vi.waitFor(() => expect(seen.messages).toHaveLength(1));
    expect(client.state).toBe('online');
    expect(server.sockets).toHaveLength(1);
  });

  it('reconnect delays grow and are capped while the server is unavailable', async () => {
    server.ticketFailure = { status: 503, error: { code: 'INTERNAL', message: 'down' } };
    const client = makeClient();
    const delays: number[] = [];
    client.on('reconnecting', ({ delay_ms }) => delays.push(delay_ms));
    client.on('error', () => {});
    void client.connect().catch(() => {});
    await vi.waitFor(() => expect(delays.length).toBeGreaterThanOrEqual(5));
    expect(delays.slice(0, 5)).toEqual([10, 20, 40, 40, 40]);
    expect(client.state).toBe('connecting');
    server.ticketFailure = undefined;
    await vi.waitFor(() => expect(client.state).toBe('online'));
  });

  it('drops a socket that stops answering pings and reconnects', async () => {
    const client = makeClient({ pingIntervalMs: 30, pongTimeoutMs: 30 });
    await client.connect();
    server.answerPings = false;
    await vi.waitFor(() => expect(server.tickets).toBe(2));
    server.answerPings = true;
    await vi.waitFor(() => expect(client.state).toBe('online'));
  });

  it('disconnect rejects pending calls and stops reconnecting', async () => {
    server.handle('getDialogs', () => NO_REPLY);
    const client = makeClient();
    await client.connect();
    const pending = client.api.getDialogs();
    await vi.waitFor(() => expect(server.callsOf('getDialogs')).toHaveLength(1));
    client.disconnect();
    await expect(pending).rejects.toMatchObject({ code: 'CLOSED' });
    expect(client.state).toBe('offline');
    await new Promise((r) => setTimeout(r, 100));
    expect(server.tickets).toBe(1);
  });
});

describe('EdgegramClient.api', () => {
  it('has one function per protocol method; a call sends that method with its params and resolves with its result', async () => {
    server.handle('getHistory', () => ({ messages: [message(3)] }));
    server.handle('getDialogs', () => ({ dialogs: [], users: [] }));
    const client = makeClient();
    expect(Object.keys(client.api).sort()).toEqual([...methodNames].sort());
    await client.connect();
    await expect(client.api.getHistory({ chat_id: 7, limit: 5 })).resolves.toEqual({ messages: [message(3)] });
    expect(server.callsOf('getHistory').map((c) => c.params)).toEqual([{ chat_id: 7, limit: 5 }]);
    // Params may be left out only where none is required.
    await client.api.getDialogs();
    expect(server.callsOf('getDialogs').map((c) => c.params)).toEqual([{}]);
  });

  it('a call cut off by a reconnect is sent again, except for methods whose repeat would act twice', async () => {
    // Nothing is answered on the first socket, so both calls are in flight when it drops.
    server.handle('getChatInviteLinks', (_params, { server: s }) => (s.sockets.length < 2 ? NO_REPLY : { links: [] }));
    server.handle('createChatInviteLink', () => NO_REPLY);
    const client = makeClient();
    await client.connect();
    const links = client.api.getChatInviteLinks({ chat_id: 7 });
    const created = client.api.createChatInviteLink({ chat_id: 7 });
    await vi.waitFor(() => expect(server.calls.map((c) => c.method)).toContain('createChatInviteLink'));
    server.dropAll();
    await expect(created).rejects.toMatchObject({ code: 'DISCONNECTED' });
    await expect(links).resolves.toEqual({ links: [] });
    expect(server.callsOf('getChatInviteLinks')).toHaveLength(2);
    expect(server.callsOf('createChatInviteLink')).toHaveLength(1);
  });
});

describe('EdgegramClient platform adapters', () => {
  it('runs over the `ws` package WebSocket as well as the global one', async () => {
    const { WebSocket: WsWebSocket } = await import('ws');
    const client = makeClient({ WebSocket: WsWebSocket });
    await client.connect();
    await expect(client.sendMessage({ chat_id: 7 }, 'via ws')).resolves.toMatchObject({ text: 'via ws' });
  });

  it('maps HTTP error bodies to EdgegramError', async () => {
    const client = makeClient({ token: 'wrong' });
    await expect(client.useSession('wrong')).rejects.toMatchObject({ name: 'EdgegramError', code: 'UNAUTHORIZED' });
    expect(client.token).toBeUndefined();
    await expect(client.useSession(TOKEN)).resolves.toEqual(USER);
  });
});
