import { env, runInDurableObject } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import { mailbox } from '../../durable-objects/stubs.js';
import type { UserMailbox } from '../../durable-objects/user-mailbox/index.js';
import { signup } from './helpers.js';

describe("a mailbox's account is its own name", () => {
  it('answers for its account and refuses an RPC that names another one', async () => {
    const alice = await signup();
    const bob = await signup();
    const own = await mailbox(env, alice.user.id).getState(alice.user.id);
    expect(own).toMatchObject({ ok: true });
    // Bob's id sent to Alice's mailbox: never answered with Alice's state.
    const crossed = await mailbox(env, alice.user.id).getState(bob.user.id);
    expect(crossed).toMatchObject({ ok: false });
  });

  it('knows its account from the first event, before any RPC names it', async () => {
    const alice = await signup();
    const stub = mailbox(env, alice.user.id);
    await runInDurableObject(stub, async (instance: UserMailbox) => {
      expect((instance as unknown as { userId: number }).userId).toBe(alice.user.id);
    });
  });
});
