/**
 * The rights grid: each admin right's action × every role a caller can have
 * in a group, people through the account API and bots through the Bot API,
 * with the expected answer per cell (the account matrix,
 * authorization.test.ts, covers every method for a fixed admin; this one
 * varies the rights).
 *
 * Callers (columns), in a fresh group of the owner's:
 *   owner        its creator
 *   with         an admin holding only the row's right
 *   without      an admin holding every other right
 *   member       a plain member (the group's default permissions)
 *   restricted   a member who may send nothing
 *   banned       was a member, banned by the owner
 *   left         was a member, left by itself
 *   outsider     signed in, never a member
 *   bot_with     the owner's bot, an admin holding only the row's right
 *   bot_member   the owner's bot, a plain member
 *
 * Cells:
 *   A  allowed
 *   F  refused with 403 (FORBIDDEN, or MESSAGE_NOT_MODIFIABLE for deleting)
 *   N  refused with 404 NOT_FOUND, as for a chat that does not exist
 *   R  a bot refused for lack of rights, in Telegram's words (400)
 * Every refusal changes nothing: the owner's view of the group (title,
 * pins, members, admins and their rights, links) and its pts stay put.
 *
 * Rights not in the grid, and where they are shown: can_post_messages and
 * can_edit_messages act in channels (admin-rights.test.ts, channels.test.ts),
 * is_anonymous changes how a message is shown, not whether it is sent
 * (rights.test.ts, bot-api-groups.test.ts), can_manage_topics acts in forums
 * (forum-topics.test.ts), can_manage_video_chats has no calls to manage yet.
 *
 * `npm run test:soak` checks every cell; `npm test` one cell per kind of
 * answer in every row, the columns picked by the run's seed.
 */
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_RIGHTS, type AdminRight } from '../../protocol/messages.js';
import { bot, call, delivered, newBot, type TestBot } from './bot-api-helpers.js';
import { api, signup, type Account } from './helpers.js';
import { cellsToRun } from '../support/matrix-sample.js';
import { suiteSize } from '../support/suite-size.js';

const SIZE = suiteSize(env);
const SEED = Number(env.EDGEGRAM_FUZZ_SEED);

const COLUMNS = ['owner', 'with', 'without', 'member', 'restricted', 'banned', 'left', 'outsider', 'bot_with', 'bot_member'] as const;
type Column = (typeof COLUMNS)[number];
type Cell = 'A' | 'F' | 'N' | 'R';
type Person = Exclude<Column, 'bot_with' | 'bot_member'>;

// prettier-ignore
const GRID: Record<string, string> = {
  //                                              owner with without member restricted banned left outsider bot_with bot_member
  'can_change_info (rename)':                     'A    A    F       F      F          N      N    N        A        R',
  "can_delete_messages (a member's message)":     'A    A    F       F      F          N      N    N        A        R',
  'can_restrict_members (ban a member)':          'A    A    F       F      F          N      N    N        A        R',
  'can_invite_users (create a link)':             'A    A    F       F      F          N      N    N        A        R',
  "can_pin_messages (pin a member's message)":    'A    A    F       F      F          N      N    N        A        R',
  'can_promote_members (appoint a member)':       'A    A    F       F      F          N      N    N        A        R',
};

/** A group for one cell (or one row's refusals): the member acted on (`target`) and its message. */
type Group = { chatId: number; targetMessage: number; target: Account };

/** What a caller sends for a row: an account method for people, a Bot API method for bots. */
type Action = {
  right: AdminRight;
  person: (g: Group) => { method: string; params: Record<string, unknown> };
  bot: (g: Group) => { method: string; params: Record<string, unknown> };
};

const ACTIONS: Record<string, Action> = {
  'can_change_info (rename)': {
    right: 'can_change_info',
    person: (g) => ({ method: 'editChatTitle', params: { chat_id: g.chatId, title: 'Renamed' } }),
    bot: (g) => ({ method: 'setChatTitle', params: { chat_id: -g.chatId, title: 'Renamed by a bot' } }),
  },
  "can_delete_messages (a member's message)": {
    right: 'can_delete_messages',
    person: (g) => ({ method: 'deleteMessages', params: { chat_id: g.chatId, ids: [g.targetMessage], for_everyone: true } }),
    bot: (g) => ({ method: 'deleteMessage', params: { chat_id: -g.chatId, message_id: g.targetMessage } }),
  },
  'can_restrict_members (ban a member)': {
    right: 'can_restrict_members',
    person: (g) => ({ method: 'banChatMember', params: { chat_id: g.chatId, user_id: g.target.user.id } }),
    bot: (g) => ({ method: 'banChatMember', params: { chat_id: -g.chatId, user_id: g.target.user.id } }),
  },
  'can_invite_users (create a link)': {
    right: 'can_invite_users',
    person: (g) => ({ method: 'createChatInviteLink', params: { chat_id: g.chatId } }),
    bot: (g) => ({ method: 'createChatInviteLink', params: { chat_id: -g.chatId } }),
  },
  "can_pin_messages (pin a member's message)": {
    right: 'can_pin_messages',
    person: (g) => ({ method: 'pinMessage', params: { chat_id: g.chatId, message_id: g.targetMessage } }),
    bot: (g) => ({ method: 'pinChatMessage', params: { chat_id: -g.chatId, message_id: g.targetMessage } }),
  },
  // The appointer may grant only rights it holds: this one alone.
  'can_promote_members (appoint a member)': {
    right: 'can_promote_members',
    person: (g) => ({ method: 'editChatAdmin', params: { chat_id: g.chatId, user_id: g.target.user.id, rights: { can_promote_members: true } } }),
    bot: (g) => ({ method: 'promoteChatMember', params: { chat_id: -g.chatId, user_id: g.target.user.id, can_promote_members: true } }),
  },
};

let people: Record<Person | 'target', Account>;
let bots: { with: TestBot; member: TestBot };

beforeAll(async () => {
  const names = ['owner', 'with', 'without', 'member', 'restricted', 'banned', 'left', 'outsider', 'target'] as const;
  people = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await signup({ displayName: n })]))) as typeof people;
  bots = { with: await newBot(people.owner), member: await newBot(people.owner) };
}, 60_000);

/** A fresh group in which each column's caller has its role for `right`. */
async function groupFor(right: AdminRight): Promise<Group> {
  const { owner } = people;
  // Many groups from one owner: past the hourly creation limit, which security.test.ts covers.
  await env.DB.prepare("DELETE FROM rate_limits WHERE key LIKE 'chats:%'").run();
  const memberIds = [people.with, people.without, people.member, people.restricted, people.banned, people.left, people.target].map((a) => a.user.id);
  const { chat } = await call(owner, 'createGroup', { title: 'Rights grid', user_ids: [...memberIds, bots.with.id, bots.member.id] });
  const only = { [right]: true };
  const allBut = Object.fromEntries(ADMIN_RIGHTS.filter((r) => r !== right && r !== 'is_anonymous').map((r) => [r, true]));
  await call(owner, 'editChatAdmin', { chat_id: chat.id, user_id: people.with.user.id, rights: only });
  await call(owner, 'editChatAdmin', { chat_id: chat.id, user_id: people.without.user.id, rights: allBut });
  await call(owner, 'editChatAdmin', { chat_id: chat.id, user_id: bots.with.id, rights: only });
  // Written by the member acted on, not by a caller: one's own message anyone may delete.
  const { message } = await call(people.target, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'grid', text: 'a member writes' });
  await call(owner, 'restrictChatMember', { chat_id: chat.id, user_id: people.restricted.user.id, can_send_messages: false, can_send_media: false });
  await call(owner, 'banChatMember', { chat_id: chat.id, user_id: people.banned.user.id });
  await call(people.left, 'leaveChat', { chat_id: chat.id });
  await delivered(chat.id);
  return { chatId: chat.id, targetMessage: message.id, target: people.target };
}

/** What a refusal must leave as it was: the group as its owner sees it, and the owner's pts. */
async function stateOf(g: Group): Promise<unknown> {
  await delivered(g.chatId);
  const { chat, members } = await call(people.owner, 'getChat', { chat_id: g.chatId });
  const { links } = await call(people.owner, 'getChatInviteLinks', { chat_id: g.chatId });
  const { pts } = await call(people.owner, 'getState', {});
  return { chat, members, links: links.length, pts };
}

/** Runs the cell's call; returns the answer's kind. */
async function answerOf(column: Column, action: Action, g: Group): Promise<{ cell: Cell; detail: string }> {
  if (column === 'bot_with' || column === 'bot_member') {
    const { method, params } = action.bot(g);
    const token = column === 'bot_with' ? bots.with.token : bots.member.token;
    const reply = await bot(token, method, params);
    const detail = `${reply.status} ${JSON.stringify(reply.body)}`;
    if (reply.body.ok) return { cell: 'A', detail };
    const description = reply.body.description ?? '';
    const forRights = reply.status === 400 && /rights|can't be|not enough|administrator|ADMIN_REQUIRED/i.test(description);
    return { cell: forRights ? 'R' : 'F', detail };
  }
  const { method, params } = action.person(g);
  const res = await api(`/v1/call/${method}`, { body: params, token: people[column].token });
  const text = await res.text();
  const detail = `${res.status} ${text}`;
  if (res.status === 200) return { cell: 'A', detail };
  const code = (JSON.parse(text) as { error: { code: string } }).error.code;
  if (res.status === 403 && (code === 'FORBIDDEN' || code === 'MESSAGE_NOT_MODIFIABLE')) return { cell: 'F', detail };
  if (res.status === 404 && code === 'NOT_FOUND') return { cell: 'N', detail };
  return { cell: 'R', detail: `unexpected ${detail}` };
}

function cellsOf(row: string): Record<Column, Cell> {
  const marks = GRID[row]!.trim().split(/\s+/) as Cell[];
  return Object.fromEntries(COLUMNS.map((c, i) => [c, marks[i]!])) as Record<Column, Cell>;
}

describe('the rights grid: each right × each role', () => {
  it('has an action for every row and a cell for every caller', () => {
    expect(Object.keys(ACTIONS).sort()).toEqual(Object.keys(GRID).sort());
    for (const row of Object.keys(GRID)) expect(GRID[row]!.trim().split(/\s+/)).toHaveLength(COLUMNS.length);
  });

  for (const row of Object.keys(GRID)) {
    describe(row, () => {
      const cells = cellsOf(row);
      const action = ACTIONS[row]!;
      // Refusals change nothing, so a row's refusals share one group; each allowed call gets its own.
      let shared: Promise<Group> | undefined;
      for (const column of cellsToRun(row, cells, SIZE, SEED)) {
        const expected = cells[column];
        it(`by ${column}: ${expected === 'A' ? 'allowed' : `refused (${expected}), changing nothing`}`, async () => {
          const g = expected === 'A' ? await groupFor(action.right) : await (shared ??= groupFor(action.right));
          const before = expected === 'A' ? undefined : await stateOf(g);
          const { cell, detail } = await answerOf(column, action, g);
          expect(cell, detail).toBe(expected);
          if (before !== undefined) expect(await stateOf(g)).toEqual(before);
        }, 30_000);
      }
    });
  }
});
