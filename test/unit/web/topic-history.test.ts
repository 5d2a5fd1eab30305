import { describe, expect, it } from 'vitest';
import type { EdgegramClient } from '../../../client/index.js';
import type { Message } from '../../../protocol/messages.js';
import { ChatHistory } from '../../../web/src/model/history.js';

const CHAT = 7;
const msg = (id: number, topic?: number): Message => ({
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
  ...(topic !== undefined ? { message_thread_id: topic } : {}),
});

/** A forum as the server pages it: getHistory with message_thread_id keeps one topic (General: 1 or none). */
function fakeClient(all: Message[]): EdgegramClient {
  const getHistory = async (p: { offset_id?: number; direction?: 'before' | 'after'; limit?: number; message_thread_id?: number }) => {
    const pool = all.filter((m) => p.message_thread_id === undefined || (m.message_thread_id ?? 1) === p.message_thread_id);
    return { messages: pool.filter((m) => m.id < (p.offset_id ?? Infinity)).slice(-(p.limit ?? 50)) };
  };
  return { api: { getHistory } } as unknown as EdgegramClient;
}

describe('a forum topic’s window in the web client', () => {
  // 1 was sent before the chat had topics (General's); 2 and 4 are in topic 2, 3 in General.
  const forum = [msg(1), msg(2, 2), msg(3, 1), msg(4, 2)];

  it('holds its topic’s messages and takes only its topic’s new ones; General holds the messages from before topics', async () => {
    const topic = new ChatHistory(fakeClient(forum), CHAT, null, 2);
    await topic.open();
    expect(topic.messages.value.map((m) => m.id)).toEqual([2, 4]);
    topic.onMessage(msg(5, 1));
    topic.onMessage(msg(6, 2));
    expect(topic.messages.value.map((m) => m.id)).toEqual([2, 4, 6]);

    const general = new ChatHistory(fakeClient(forum), CHAT, null, 1);
    await general.open();
    expect(general.messages.value.map((m) => m.id)).toEqual([1, 3]);
    general.onMessage(msg(7, 1));
    expect(general.messages.value.map((m) => m.id)).toEqual([1, 3, 7]);
  });

  it('drops a deleted topic’s messages from a window that shows them', async () => {
    const main = new ChatHistory(fakeClient(forum), CHAT);
    await main.open();
    main.onTopicDeleted(2);
    expect(main.messages.value.map((m) => m.id)).toEqual([1, 3]);
  });
});
