import { describe, expect, it } from 'vitest';
import type { EdgegramClient } from '../../../client/index.js';
import type { Message } from '../../../protocol/messages.js';
import { ChatHistory } from '../../../web/src/model/history.js';

const CHAT = 7;
const msg = (id: number, extra: Partial<Message> = {}): Message => ({
  chat_id: CHAT,
  id,
  sender_id: 1,
  date: id,
  text: `m${id}`,
  entities: [],
  media: null,
  reply_to_message_id: null,
  fwd_from: null,
  edit_date: null,
  ...extra,
});

/** A chat of messages 1..n as the server would page it (getHistory with thread_id, getMessages). */
function fakeClient(all: Message[]): EdgegramClient {
  const page = (p: { offset_id?: number; direction?: 'before' | 'after'; limit?: number; thread_id?: number }) => {
    const pool = all.filter((m) => p.thread_id === undefined || m.thread_id === p.thread_id);
    const limit = p.limit ?? 50;
    if (p.direction === 'after') return pool.filter((m) => m.id > (p.offset_id ?? 0)).slice(0, limit);
    return pool.filter((m) => m.id < (p.offset_id ?? Infinity)).slice(-limit);
  };
  const getHistory = async (p: { chat_id: number; offset_id?: number; direction?: 'before' | 'after'; limit?: number; thread_id?: number }) => ({ messages: page(p) });
  const getMessages = async (p: { ids: number[] }) => ({ messages: all.filter((m) => p.ids.includes(m.id)) });
  return { api: { getHistory, getMessages } } as unknown as EdgegramClient;
}

describe('a thread’s window in the web client', () => {
  const root = msg(1, { replies: { count: 2, max_id: 4 } });
  const chat = [root, msg(2), msg(3, { thread_id: 1, reply_to_message_id: 1 }), msg(4, { thread_id: 1, reply_to_message_id: 3 })];

  it('holds the root and its replies, not the rest of the chat, and takes only the thread’s new messages', async () => {
    const thread = new ChatHistory(fakeClient(chat), CHAT, 1);
    await thread.open();
    expect(thread.messages.value.map((m) => m.id)).toEqual([1, 3, 4]);
    thread.onMessage(msg(5));
    thread.onMessage(msg(6, { thread_id: 1, reply_to_message_id: 1 }));
    expect(thread.messages.value.map((m) => m.id)).toEqual([1, 3, 4, 6]);
    expect(thread.messages.value[0]?.replies).toEqual({ count: 3, max_id: 6 });
  });

  it('counts a reply once however often it arrives, and uncounts a deleted one', async () => {
    const main = new ChatHistory(fakeClient(chat), CHAT);
    await main.open();
    const replies = () => main.messages.value.find((m) => m.id === 1)?.replies;
    // Already counted by the read that loaded the root.
    main.onMessage(msg(4, { thread_id: 1, reply_to_message_id: 3 }));
    expect(replies()).toEqual({ count: 2, max_id: 4 });
    const fresh = msg(5, { thread_id: 1, reply_to_message_id: 1 });
    main.onMessage(fresh);
    main.onMessage(fresh);
    expect(replies()).toEqual({ count: 3, max_id: 5 });
    main.onDelete([3, 4, 5]);
    expect(replies()).toBeUndefined();
  });
});
