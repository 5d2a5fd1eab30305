import { env } from 'cloudflare:test';
import { describe, expect, test } from 'vitest';
import { verbNames } from '../../durable-objects/chat-room/verbs.js';
import { chatRoom, chatRoomStub } from '../../durable-objects/stubs.js';
import { ErrorCode } from '../../protocol/errors.js';
import { api, signup } from './helpers.js';

let nextChat = 9_000_000;
/** A chat id no test has used: its ChatRoom is a fresh, empty object. */
const freshChat = () => nextChat++;

describe('the ChatRoom RPC surface', () => {
  test('the typed stub has exactly the registry verbs, and a call through it reaches the room', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const res = await api('/v1/call/createGroup', { body: { title: 'Stub', user_ids: [bob.user.id] }, token: alice.token });
    const { chat } = (await res.json()) as { chat: { id: number } };

    const room = chatRoom(env, chat.id);
    // The verbs live on the client's prototype (one made per isolate, not one closure per verb per call).
    const methods = Object.getOwnPropertyNames(Object.getPrototypeOf(room)).filter((name) => name !== 'constructor');
    expect(methods.sort()).toEqual([...verbNames].sort());
    expect('then' in room).toBe(false);
    const got = await room.getChat(bob.user.id);
    expect(got.ok && got.value.chat).toMatchObject({ id: chat.id, title: 'Stub' });
    // Errors still cross as data, with their code.
    expect(await room.getChat(999_999_999)).toEqual({ ok: false, error: expect.objectContaining({ code: ErrorCode.NOT_FOUND }) });
  });

  test('every registry verb is reachable through run (a fresh chat answers NOT_FOUND or a validation error, never UNKNOWN_METHOD)', async () => {
    const stub = chatRoomStub(env, freshChat());
    for (const verb of verbNames) {
      const outcome = await stub.run(verb, [1, 2, 3]);
      expect(outcome.ok, verb).toBe(false);
      if (!outcome.ok) expect(outcome.error.code, verb).not.toBe(ErrorCode.UNKNOWN_METHOD);
    }
  });

  test('run refuses a name that is not a verb with UNKNOWN_METHOD, inherited and adapter names too', async () => {
    const stub = chatRoomStub(env, freshChat());
    for (const name of ['bogus', 'constructor', 'toString', '__proto__', 'run', 'alarm', 'fetch', 'logic']) {
      expect(await stub.run(name, []), name).toEqual({ ok: false, error: expect.objectContaining({ code: ErrorCode.UNKNOWN_METHOD }) });
    }
  });
});
