/**
 * A send addressed by user id finds an existing private chat in the
 * caller's own dialogs (issue 16: nothing global per message): the mailbox
 * answers it, and the account API then touches neither D1 nor the chat's
 * init.
 */
import { describe, expect, test } from 'vitest';
import { Mailbox } from '../../../durable-objects/user-mailbox/mailbox.js';
import type { Chat } from '../../../protocol/messages.js';
import { resolvePeer } from '../../../services/account-api/peers.js';
import { trapContext } from '../fuzz/support.js';
import { MemorySqlStore } from '../../support/memory-sql.js';

const ME = 1;

const chatOf = (id: number, kind: Chat['kind'], member_ids: number[]): Chat => ({
  id,
  kind,
  title: kind === 'private' ? null : 'G',
  member_ids,
  creator_id: null,
  created_at: 1,
});

function mailboxWith(chats: Chat[]): Mailbox {
  const box = new Mailbox(new MemorySqlStore(), ME);
  box.deliver(chats.map((chat) => ({ chat_id: chat.id, event_seq: 1, date: 1, update: { type: 'chat', chat } })));
  return box;
}

describe('the private chat with someone, from the dialogs', () => {
  test('finds it by the peer, Saved Messages by oneself, and never a group both are in', () => {
    const box = mailboxWith([chatOf(10, 'private', [ME, 2]), chatOf(11, 'private', [ME]), chatOf(12, 'group', [ME, 3]), chatOf(13, 'private', [3, ME])]);
    expect(box.privateChatWith(2)).toBe(10);
    expect(box.privateChatWith(ME)).toBe(11);
    expect(box.privateChatWith(3)).toBe(13);
    expect(box.privateChatWith(4)).toBeUndefined();
  });

  test('resolvePeer uses it without reaching D1 or any object (the context traps every other access)', async () => {
    const box = mailboxWith([chatOf(10, 'private', [ME, 2])]);
    const ctx = { ...trapContext, own: { ...trapContext.own, privateChatWith: async (peer: number) => box.privateChatWith(peer) } };
    // trapContext.own is a Proxy that throws on any other property; spread copies none of it.
    expect(await resolvePeer(ctx, { user_id: 2 })).toBe(10);
    await expect(resolvePeer(ctx, { user_id: 5 })).rejects.toThrow(/handler touched env/);
  });
});
