import { describe, expect, test } from 'vitest';
import type { Update } from '../../protocol/updates.js';
import { call, callError, delivered } from './bot-api-helpers.js';
import { signup, type Account } from './helpers.js';

/** The `chat` updates an account has logged, oldest first. */
async function chatUpdates(who: Account): Promise<Extract<Update, { type: 'chat' }>[]> {
  const diff = await call(who, 'getDifference', { pts: 0 });
  if (diff.kind !== 'difference') throw new Error(diff.kind);
  return diff.updates.map((u) => u.update).filter((u): u is Extract<Update, { type: 'chat' }> => u.type === 'chat');
}

describe('pinMessage and unpinMessage (the account API)', () => {
  test('in a group the creator and admins pin for everyone, members may not; unpin clears it', async () => {
    const [owner, alice] = [await signup(), await signup()];
    const { chat } = await call(owner, 'createGroup', { title: 'Pins', user_ids: [alice.user.id] });
    const { message } = await call(alice, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'p1', text: 'rules' });

    expect(await callError(alice, 'pinMessage', { chat_id: chat.id, message_id: message.id })).toBe('FORBIDDEN');
    const pinned = await call(owner, 'pinMessage', { chat_id: chat.id, message_id: message.id });
    expect(pinned.chat.pinned_message_id).toBe(message.id);
    await delivered(chat.id);
    // Every member hears of it, with the chat as it now is.
    expect((await chatUpdates(alice)).at(-1)?.chat.pinned_message_id).toBe(message.id);
    expect((await call(alice, 'getChat', { chat_id: chat.id })).chat.pinned_message_id).toBe(message.id);

    expect(await callError(alice, 'unpinMessage', { chat_id: chat.id })).toBe('FORBIDDEN');
    expect((await call(owner, 'unpinMessage', { chat_id: chat.id })).chat.pinned_message_id).toBeUndefined();
    expect(await callError(owner, 'pinMessage', { chat_id: chat.id, message_id: message.id + 100 })).toBe('NOT_FOUND');
  });

  test('in a private chat either side pins; an outsider cannot', async () => {
    const [alice, bob, eve] = [await signup(), await signup(), await signup()];
    const { message } = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'p2', text: 'address' });
    expect((await call(bob, 'pinMessage', { chat_id: message.chat_id, message_id: message.id })).chat.pinned_message_id).toBe(message.id);
    expect(['FORBIDDEN', 'NOT_FOUND']).toContain(await callError(eve, 'pinMessage', { chat_id: message.chat_id, message_id: message.id }));
  });
});
