import { describe, expect, it } from 'vitest';
import type { EdgegramClient } from '../../../client/index.js';
import type { Chat, Dialog, Message } from '../../../protocol/messages.js';
import { Dialogs } from '../../../web/src/model/dialogs.js';
import { Histories } from '../../../web/src/model/history.js';
import { Users } from '../../../web/src/model/users.js';
import { membersOf } from '../../../web/src/lib/people.js';

const ME = 1;
const SUPERGROUP = 40;
/** A supergroup of 150,000 as the viewer's snapshot shows it: member_ids are only the creator, an admin and the viewer. */
const supergroup: Chat = {
  id: SUPERGROUP,
  kind: 'supergroup',
  title: 'Big room',
  member_ids: [2, 3, ME],
  member_count: 150_000,
  creator_id: 2,
  created_at: 100,
  pts: 10,
};
const msg = (id: number, sender = 5, chat = SUPERGROUP): Message => ({
  chat_id: chat,
  id,
  sender_id: sender,
  date: 1_000 + id,
  text: `m${id}`,
  entities: [],
  media: null,
  reply_to_message_id: null,
  fwd_from: null,
  edit_date: null,
});
const dialog: Dialog = {
  chat: supergroup,
  top_message: msg(7),
  unread_count: 2,
  read_inbox_max_id: 5,
  read_outbox_max_id: 0,
  last_activity: 1_007,
  is_request: false,
  unread_mentions_count: 0,
  is_member: true,
};

function fakeClient(history: Message[] = []): { client: EdgegramClient; historyCalls: number[] } {
  const historyCalls: number[] = [];
  const api = {
    getDialogs: async () => ({ dialogs: [dialog], users: [] }),
    getUsers: async () => ({ users: [], statuses: [] }),
    getHistory: async (p: { chat_id: number }) => {
      historyCalls.push(p.chat_id);
      return { messages: history.filter((m) => m.chat_id === p.chat_id) };
    },
  };
  return { client: { api } as unknown as EdgegramClient, historyCalls };
}

describe('large chats in the web model', () => {
  it('counts a supergroup by member_count, not by its short member_ids', () => {
    expect(membersOf(supergroup)).toBe(150_000);
  });

  it('a supergroup’s dialog takes its new messages as top and unread, and a replay after getChannelDifference counts nothing twice', async () => {
    const { client } = fakeClient();
    const dialogs = new Dialogs(client, new Users(client), ME);
    await dialogs.load();

    dialogs.onMessage(msg(8));
    expect(dialogs.get(SUPERGROUP)).toMatchObject({ top_message: { id: 8 }, unread_count: 3, last_activity: 1_008 });

    // Reconnect: the chat's difference replays what the device may already have applied.
    for (const id of [6, 7, 8]) dialogs.onMessage(msg(id));
    expect(dialogs.get(SUPERGROUP)).toMatchObject({ top_message: { id: 8 }, unread_count: 3 });

    // The viewer's own message is the new top but not unread.
    dialogs.onMessage(msg(9, ME));
    expect(dialogs.get(SUPERGROUP)).toMatchObject({ top_message: { id: 9 }, unread_count: 3 });
    dialogs.dispose();
  });

  it('channelTooLong reloads only that chat’s open windows', async () => {
    const { client, historyCalls } = fakeClient([msg(1), msg(2), msg(1, 5, 41)]);
    const histories = new Histories(client);
    await histories.get(SUPERGROUP).open();
    await histories.get(41).open();
    histories.get(42); // never opened: reloads when opened
    historyCalls.length = 0;

    histories.resetChat(SUPERGROUP);
    await new Promise((r) => setTimeout(r, 0));
    expect(historyCalls).toEqual([SUPERGROUP]);
  });
});
