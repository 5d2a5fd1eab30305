/**
 * The authorization matrix of the Bot API: every Bot API method that acts on
 * a chat, a message, a member or a file × every kind of bot caller, with the
 * expected answer per cell (the account API's matrix, with the "another
 * account's bot" column there, is authorization.test.ts).
 *
 * Callers (columns), each a bot calling with its token, on a fresh group of
 * the owner, a member and `extra` (a member to act on) in which:
 *   member    the owner's bot, a plain member
 *   admin     the owner's bot, made admin by the owner
 *   removed   the owner's bot, was a member, removed by the owner
 *   banned    the owner's bot, was a member, banned by the admin bot
 *   stranger  another account's bot, never in the group
 *   revoked   the member bot's previous token, after revokeBotToken
 *   anonymous a token of no bot
 * (Bots have no sessions or account API: those columns are the account
 * matrix's `bot` column.)
 *
 * Cells:
 *   A  allowed: `{ ok: true }`
 *   R  refused for lack of rights, as Telegram words it (400 "not enough
 *      rights…", "message can't be deleted…", 403), changing nothing
 *   F  refused as a non-member: byte-identical to the answer for the same
 *      call on another group the bot has never been in. Telegram tells any
 *      bot whether a group exists ("Forbidden: bot is not a member of the
 *      group chat" against "chat not found"), and so does Edgegram; beyond
 *      that the caller learns nothing about this group. For file rows: the
 *      answer for a file id that does not exist.
 *   B  let through authorization, then refused as not fitting the chat:
 *      the matrix's group is a basic group, which has no forum topics
 *      ("Bad Request: the chat is not a forum"), changing nothing. The rules
 *      inside a forum are bot-api-forum-topics.test.ts.
 *   U  401 Unauthorized
 * Every refusal also shows nothing changed and nothing leaked: the group's
 * event sequence and the owner's pts stay put, and the caller's pending
 * updates (getWebhookInfo) do not grow.
 *
 * `npm run test:soak` (CI) checks every cell; `npm test` one cell per kind of
 * answer in every row, the columns picked by the run's seed
 * (test/support/matrix-sample.ts).
 */
import { env, runInDurableObject, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { chatRoomStub, mailbox } from '../../durable-objects/stubs.js';
import type { FileInfo } from '../../protocol/media.js';
import { botOk, call, delivered, newBot, userWrites, type TestBot } from './bot-api-helpers.js';
import { BASE, signup, type Account } from './helpers.js';
import { jpeg, upload } from './media-helpers.js';
import { cellsToRun } from '../support/matrix-sample.js';
import { suiteSize } from '../support/suite-size.js';

const SIZE = suiteSize(env);
const SEED = Number(env.EDGEGRAM_FUZZ_SEED);

const COLUMNS = ['member', 'admin', 'removed', 'banned', 'stranger', 'revoked', 'anonymous'] as const;
type Column = (typeof COLUMNS)[number];
type Cell = 'A' | 'R' | 'F' | 'B' | 'U';

// prettier-ignore
const MATRIX: Record<string, string> = {
  //                                                member admin removed banned stranger revoked anonymous
  'sendMessage':                                    'A     A     F       F      F        U       U',
  'sendPhoto (the group photo\'s file_id)':         'A     A     F       F      F        U       U',
  'forwardMessage (out of the group)':              'A     A     F       F      F        U       U',
  'copyMessage (out of the group)':                 'A     A     F       F      F        U       U',
  "editMessageText (the owner's message)":          'R     R     F       F      F        U       U',
  'editMessageText (its own message)':              'A     A     F       F      F        U       U',
  "deleteMessage (the owner's message)":            'R     A     F       F      F        U       U',
  'sendChatAction':                                 'A     A     F       F      F        U       U',
  'getChat':                                        'A     A     F       F      F        U       U',
  'getChatAdministrators':                          'A     A     F       F      F        U       U',
  'getChatMemberCount':                             'A     A     F       F      F        U       U',
  'getChatMember':                                  'A     A     F       F      F        U       U',
  'leaveChat':                                      'A     A     F       F      F        U       U',
  'pinChatMessage':                                 'R     A     F       F      F        U       U',
  'unpinAllChatMessages':                           'R     A     F       F      F        U       U',
  'banChatMember (a member)':                       'R     A     F       F      F        U       U',
  'unbanChatMember (a banned user)':                'R     A     F       F      F        U       U',
  'restrictChatMember (a member)':                  'R     A     F       F      F        U       U',
  'setChatPermissions':                             'R     A     F       F      F        U       U',
  'promoteChatMember (a member; no such right)':    'R     R     F       F      F        U       U',
  'setChatTitle':                                   'R     A     F       F      F        U       U',
  'setChatDescription':                             'R     A     F       F      F        U       U',
  'setChatPhoto (an uploaded photo)':               'R     A     F       F      F        U       U',
  'deleteChatPhoto':                                'R     A     F       F      F        U       U',
  "getFile (the group's chat photo)":               'A     A     F       F      F        U       U',
  'exportChatInviteLink':                           'R     A     F       F      F        U       U',
  'createChatInviteLink':                           'R     A     F       F      F        U       U',
  'approveChatJoinRequest (a waiting request)':     'R     A     F       F      F        U       U',
  'declineChatJoinRequest (a waiting request)':     'R     A     F       F      F        U       U',
  'createForumTopic (in a basic group)':            'B     B     F       F      F        U       U',
  'editForumTopic (in a basic group)':              'B     B     F       F      F        U       U',
  'closeForumTopic (in a basic group)':             'B     B     F       F      F        U       U',
  'reopenForumTopic (in a basic group)':            'B     B     F       F      F        U       U',
  'deleteForumTopic (in a basic group)':            'B     B     F       F      F        U       U',
  'unpinAllForumTopicMessages (in a basic group)':  'B     B     F       F      F        U       U',
  'editGeneralForumTopic (in a basic group)':       'B     B     F       F      F        U       U',
  'closeGeneralForumTopic (in a basic group)':      'B     B     F       F      F        U       U',
  'reopenGeneralForumTopic (in a basic group)':     'B     B     F       F      F        U       U',
  'hideGeneralForumTopic (in a basic group)':       'B     B     F       F      F        U       U',
  'unhideGeneralForumTopic (in a basic group)':     'B     B     F       F      F        U       U',
  'unpinAllGeneralForumTopicMessages (basic)':      'B     B     F       F      F        U       U',
  'getFile (the group photo)':                      'A     A     F       F      F        U       U',
  'GET /file/bot<token>/files/<the group photo>':   'A     A     F       F      F        U       U',
};

// ---- the cast ----

let owner: Account;
let member: Account;
let extra: Account;
let photo: FileInfo;
/** The owner's bots, one per column (each has a private chat with the owner, who wrote first). */
const bots = {} as Record<'member' | 'admin' | 'removed' | 'banned', TestBot>;
let stranger: TestBot;
let revokedToken: string;
/** A group of the owner's that none of the bots was ever in: the answer a non-member gets anywhere. */
let controlGroup: number;

beforeAll(async () => {
  [owner, member, extra] = [await signup(), await signup(), await signup()];
  for (const column of ['member', 'admin', 'removed', 'banned'] as const) {
    bots[column] = await newBot(owner);
    await userWrites(owner, bots[column].id, '/start');
  }
  stranger = await newBot();
  await userWrites(owner, stranger.id, '/start');
  revokedToken = bots.member.token;
  bots.member.token = (await call(owner, 'revokeBotToken', { bot_id: bots.member.id })).token;
  photo = await upload(owner, jpeg(2_048, 31));
  controlGroup = (await call(owner, 'createGroup', { title: 'Elsewhere', user_ids: [member.user.id] })).chat.id;
  await call(owner, 'sendMessage', { peer: { chat_id: controlGroup }, random_id: 'c1', text: 'one' });
  await call(owner, 'sendMessage', { peer: { chat_id: controlGroup }, random_id: 'c2', text: 'two' });
}, 60_000);

/**
 * A fresh group: owner, member, extra and the four bots; the owner's message,
 * each bot's own message, a photo; `removed` then removed by the owner,
 * `banned` banned by the admin bot, `extra` banned and unbanned is not done
 * here (the unban row bans first).
 */
type Group = { chatId: number; ownerMessage: number; botMessage: Record<Column, number>; photoMessage: number };

async function freshGroup(): Promise<Group> {
  // A group per cell, over a hundred from one owner: past the hourly chat
  // limits, which are tested on their own (security.test.ts).
  await env.DB.prepare("DELETE FROM rate_limits WHERE key LIKE 'chats:%'").run();
  const { chat } = await call(owner, 'createGroup', {
    title: 'Bot matrix',
    user_ids: [member.user.id, extra.user.id, ...Object.values(bots).map((b) => b.id)],
  });
  await call(owner, 'setChatAdmin', { chat_id: chat.id, user_id: bots.admin.id, is_admin: true });
  const { message } = await call(owner, 'sendMessage', { peer: { chat_id: chat.id }, random_id: 'owner', text: 'from the owner' });
  const { message: photoMessage } = await call(owner, 'sendMedia', { peer: { chat_id: chat.id }, random_id: 'photo', media: { kind: 'photo', file_id: photo.id } });
  const botMessage = {} as Record<Column, number>;
  for (const column of ['member', 'admin', 'removed', 'banned'] as const) {
    botMessage[column] = (await botOk<{ message_id: number }>(bots[column].token, 'sendMessage', { chat_id: -chat.id, text: `from ${column}` })).message_id;
  }
  await call(owner, 'removeChatMember', { chat_id: chat.id, user_id: bots.removed.id });
  await botOk(bots.admin.token, 'banChatMember', { chat_id: -chat.id, user_id: bots.banned.id });
  await delivered(chat.id);
  return { chatId: chat.id, ownerMessage: message.id, botMessage, photoMessage: photoMessage.id };
}

// ---- the rows ----

type Caller = { column: Column; token: string; botId: number | undefined };
/** A request; `elsewhere` is the same request aimed at the control group (or a file that does not exist). */
type Request = {
  path: string;
  params: Record<string, unknown>;
  method?: string;
  /** Files sent with the params as multipart (an InputFile upload), to this request and to `elsewhere` alike. */
  files?: Record<string, [Uint8Array, string]>;
  elsewhere: { path: string; params: Record<string, unknown> };
};
type Row = (g: Group, c: Caller) => Promise<Request> | Request;

const NO_SUCH_FILE = '0'.repeat(32);

/** A method on the group (`chat_id` is -group): `elsewhere` is the control group. */
const onGroup =
  (method: string, params: (g: Group, c: Caller, chatId: number) => Record<string, unknown>): Row =>
  (g, c) => ({
    path: `/bot${c.token}/${method}`,
    params: params(g, c, -g.chatId),
    elsewhere: { path: `/bot${c.token}/${method}`, params: params(g, c, -controlGroup) },
  });

/** Someone new who asked to join the group through the owner's link that needs approval: their id. */
async function waitingRequester(g: Group): Promise<number> {
  const { link } = await call(owner, 'createChatInviteLink', { chat_id: g.chatId, creates_join_request: true });
  const asker = await signup();
  await call(asker, 'joinChatByInviteLink', { token: link.token });
  return asker.user.id;
}

/** The caller's own message where it has one; the member bot's for the others (who cannot reach it anyway). */
const ownMessage = (g: Group, c: Caller) => g.botMessage[c.column] ?? g.botMessage.member;
/** The private chat with the owner that every bot has (the stranger's too). */
const privateWithOwner = () => owner.user.id;

const ROWS: Record<string, Row> = {
  sendMessage: onGroup('sendMessage', (_, __, chat_id) => ({ chat_id, text: 'hello' })),
  "sendPhoto (the group photo's file_id)": onGroup('sendPhoto', (_, __, chat_id) => ({ chat_id, photo: photo.id })),
  'forwardMessage (out of the group)': onGroup('forwardMessage', (g, _, from_chat_id) => ({ chat_id: privateWithOwner(), from_chat_id, message_id: g.ownerMessage })),
  'copyMessage (out of the group)': onGroup('copyMessage', (g, _, from_chat_id) => ({ chat_id: privateWithOwner(), from_chat_id, message_id: g.ownerMessage })),
  "editMessageText (the owner's message)": onGroup('editMessageText', (g, _, chat_id) => ({ chat_id, message_id: g.ownerMessage, text: 'edited' })),
  'editMessageText (its own message)': onGroup('editMessageText', (g, c, chat_id) => ({ chat_id, message_id: ownMessage(g, c), text: 'edited' })),
  "deleteMessage (the owner's message)": onGroup('deleteMessage', (g, _, chat_id) => ({ chat_id, message_id: g.ownerMessage })),
  sendChatAction: onGroup('sendChatAction', (_, __, chat_id) => ({ chat_id, action: 'typing' })),
  getChat: onGroup('getChat', (_, __, chat_id) => ({ chat_id })),
  getChatAdministrators: onGroup('getChatAdministrators', (_, __, chat_id) => ({ chat_id })),
  getChatMemberCount: onGroup('getChatMemberCount', (_, __, chat_id) => ({ chat_id })),
  getChatMember: onGroup('getChatMember', (_, __, chat_id) => ({ chat_id, user_id: member.user.id })),
  leaveChat: onGroup('leaveChat', (_, __, chat_id) => ({ chat_id })),
  pinChatMessage: onGroup('pinChatMessage', (g, _, chat_id) => ({ chat_id, message_id: g.ownerMessage })),
  unpinAllChatMessages: onGroup('unpinAllChatMessages', (_, __, chat_id) => ({ chat_id })),
  'banChatMember (a member)': onGroup('banChatMember', (_, __, chat_id) => ({ chat_id, user_id: extra.user.id })),
  'unbanChatMember (a banned user)': async (g, c) => {
    await botOk(bots.admin.token, 'banChatMember', { chat_id: -g.chatId, user_id: extra.user.id });
    return onGroup('unbanChatMember', (_, __, chat_id) => ({ chat_id, user_id: extra.user.id, only_if_banned: true }))(g, c);
  },
  'restrictChatMember (a member)': onGroup('restrictChatMember', (_, __, chat_id) => ({ chat_id, user_id: extra.user.id, permissions: { can_send_messages: true } })),
  setChatPermissions: onGroup('setChatPermissions', (_, __, chat_id) => ({ chat_id, permissions: { can_send_messages: true, can_send_photos: false } })),
  // The admin bot holds the default rights, which do not include appointing admins.
  'promoteChatMember (a member; no such right)': onGroup('promoteChatMember', (_, __, chat_id) => ({ chat_id, user_id: extra.user.id, can_pin_messages: true })),
  setChatTitle: onGroup('setChatTitle', (_, __, chat_id) => ({ chat_id, title: 'Renamed by a bot' })),
  setChatDescription: onGroup('setChatDescription', (_, __, chat_id) => ({ chat_id, description: 'Described by a bot' })),
  exportChatInviteLink: onGroup('exportChatInviteLink', (_, __, chat_id) => ({ chat_id })),
  createChatInviteLink: onGroup('createChatInviteLink', (_, __, chat_id) => ({ chat_id, name: 'Matrix' })),
  'approveChatJoinRequest (a waiting request)': async (g, c) => {
    const asker = await waitingRequester(g);
    return onGroup('approveChatJoinRequest', (_, __, chat_id) => ({ chat_id, user_id: asker }))(g, c);
  },
  'declineChatJoinRequest (a waiting request)': async (g, c) => {
    const asker = await waitingRequester(g);
    return onGroup('declineChatJoinRequest', (_, __, chat_id) => ({ chat_id, user_id: asker }))(g, c);
  },
  'setChatPhoto (an uploaded photo)': (g, c) => ({
    ...onGroup('setChatPhoto', (_, __, chat_id) => ({ chat_id }))(g, c),
    files: { photo: [jpeg(1_500, 32), 'logo.jpg'] },
  }),
  deleteChatPhoto: async (g, c) => {
    await withChatPhoto(g);
    return onGroup('deleteChatPhoto', (_, __, chat_id) => ({ chat_id }))(g, c);
  },
  // A file no message shows: the chat's photo alone lets members use it.
  "getFile (the group's chat photo)": async (g, c) => {
    const file = await withChatPhoto(g);
    return {
      path: `/bot${c.token}/getFile`,
      params: { file_id: file },
      elsewhere: { path: `/bot${c.token}/getFile`, params: { file_id: NO_SUCH_FILE } },
    };
  },
  'createForumTopic (in a basic group)': onGroup('createForumTopic', (_, __, chat_id) => ({ chat_id, name: 'Topic' })),
  'editForumTopic (in a basic group)': onGroup('editForumTopic', (_, __, chat_id) => ({ chat_id, message_thread_id: 2, name: 'Renamed' })),
  'closeForumTopic (in a basic group)': onGroup('closeForumTopic', (_, __, chat_id) => ({ chat_id, message_thread_id: 2 })),
  'reopenForumTopic (in a basic group)': onGroup('reopenForumTopic', (_, __, chat_id) => ({ chat_id, message_thread_id: 2 })),
  'deleteForumTopic (in a basic group)': onGroup('deleteForumTopic', (_, __, chat_id) => ({ chat_id, message_thread_id: 2 })),
  'unpinAllForumTopicMessages (in a basic group)': onGroup('unpinAllForumTopicMessages', (_, __, chat_id) => ({ chat_id, message_thread_id: 2 })),
  'editGeneralForumTopic (in a basic group)': onGroup('editGeneralForumTopic', (_, __, chat_id) => ({ chat_id, name: 'Lobby' })),
  'closeGeneralForumTopic (in a basic group)': onGroup('closeGeneralForumTopic', (_, __, chat_id) => ({ chat_id })),
  'reopenGeneralForumTopic (in a basic group)': onGroup('reopenGeneralForumTopic', (_, __, chat_id) => ({ chat_id })),
  'hideGeneralForumTopic (in a basic group)': onGroup('hideGeneralForumTopic', (_, __, chat_id) => ({ chat_id })),
  'unhideGeneralForumTopic (in a basic group)': onGroup('unhideGeneralForumTopic', (_, __, chat_id) => ({ chat_id })),
  'unpinAllGeneralForumTopicMessages (basic)': onGroup('unpinAllGeneralForumTopicMessages', (_, __, chat_id) => ({ chat_id })),
  'getFile (the group photo)': (_, c) => ({
    path: `/bot${c.token}/getFile`,
    params: { file_id: photo.id },
    elsewhere: { path: `/bot${c.token}/getFile`, params: { file_id: NO_SUCH_FILE } },
  }),
  'GET /file/bot<token>/files/<the group photo>': (_, c) => ({
    method: 'GET',
    path: `/file/bot${c.token}/files/${photo.id}`,
    params: {},
    elsewhere: { path: `/file/bot${c.token}/files/${NO_SUCH_FILE}`, params: {} },
  }),
};

/** Gives the group a photo (an upload of the owner's that no message shows), once; delivered before the cell looks. Returns its file. */
const photographed = new Map<number, string>();
async function withChatPhoto(g: Group): Promise<string> {
  const known = photographed.get(g.chatId);
  if (known) return known;
  const file = await upload(owner, jpeg(1_800, 33));
  await call(owner, 'setChatPhoto', { chat_id: g.chatId, file_id: file.id });
  await delivered(g.chatId);
  photographed.set(g.chatId, file.id);
  return file.id;
}

// ---- running a cell ----

function multipart(params: Record<string, unknown>, files: Record<string, [Uint8Array, string]>): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(params)) form.set(k, String(v));
  for (const [k, [data, name]] of Object.entries(files)) form.set(k, new File([data], name));
  return form;
}

function cellsOf(row: string): Record<Column, Cell> {
  const cells = MATRIX[row]!.trim().split(/\s+/) as Cell[];
  if (cells.length !== COLUMNS.length) throw new Error(`row ${row} has ${cells.length} cells`);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]!])) as Record<Column, Cell>;
}

function callerFor(column: Column): Caller {
  if (column === 'stranger') return { column, token: stranger.token, botId: stranger.id };
  if (column === 'revoked') return { column, token: revokedToken, botId: undefined };
  if (column === 'anonymous') return { column, token: `${2_000_000_000}:${'A'.repeat(35)}`, botId: undefined };
  return { column, token: bots[column].token, botId: bots[column].id };
}

async function send(request: Pick<Request, 'path' | 'params' | 'method' | 'files'>): Promise<{ status: number; text: string }> {
  const res =
    request.method === 'GET'
      ? await SELF.fetch(`${BASE}${request.path}`)
      : request.files
        ? await SELF.fetch(`${BASE}${request.path}`, { method: 'POST', body: multipart(request.params, request.files) })
        : await SELF.fetch(`${BASE}${request.path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(request.params) });
  return { status: res.status, text: request.method === 'GET' && res.ok ? `<${(await res.arrayBuffer()).byteLength} bytes>` : await res.text() };
}

async function chatSeq(chatId: number): Promise<number> {
  return runInDurableObject(chatRoomStub(env, chatId), (_, s) => s.storage.sql.exec<{ n: number }>('SELECT next_event_seq AS n FROM chat').one().n);
}

async function ownerPts(): Promise<number> {
  const outcome = await mailbox(env, owner.user.id).getState(owner.user.id);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value.pts;
}

async function pendingUpdates(token: string): Promise<number> {
  return (await botOk<{ pending_update_count: number }>(token, 'getWebhookInfo')).pending_update_count;
}

const MEANING: Record<Cell, string> = {
  A: 'allowed',
  R: 'refused for lack of rights, changing nothing',
  F: "refused exactly as in a group it was never in, changing nothing",
  B: 'refused as not fitting the chat (a basic group has no topics), changing nothing',
  U: 'refused with 401',
};

/** Cells refused at the token never reach a group: they share one. */
let sharedGroup: Promise<Group> | undefined;

async function runCell(rowName: string, column: Column, cell: Cell): Promise<void> {
  const group = cell === 'U' ? await (sharedGroup ??= freshGroup()) : await freshGroup();
  const caller = callerFor(column);
  const request = await ROWS[rowName]!(group, caller);
  const before = {
    chat: await chatSeq(group.chatId),
    owner: await ownerPts(),
    pending: caller.botId ? await pendingUpdates(caller.token) : 0,
  };
  const { status, text } = await send(request);

  if (cell === 'A') {
    expect(status, text).toBe(200);
    if (request.method !== 'GET') expect(JSON.parse(text)).toMatchObject({ ok: true });
    return;
  }
  if (cell === 'U') {
    expect(status, text).toBe(401);
    expect(JSON.parse(text)).toEqual({ ok: false, error_code: 401, description: 'Unauthorized' });
  } else {
    const body = JSON.parse(text) as { ok: boolean; error_code: number; description: string };
    expect(body.ok, text).toBe(false);
    expect(body.error_code, text).toBe(status);
    if (cell === 'B') {
      expect(status, text).toBe(400);
      expect(body.description).toBe('Bad Request: the chat is not a forum');
    } else if (cell === 'R') {
      expect([400, 403], text).toContain(status);
      expect(body.description, 'a refusal for rights names them').toMatch(/rights|can't be|not enough|administrator|ADMIN_REQUIRED|Forbidden/i);
    } else {
      const elsewhere = await send({ ...request.elsewhere, ...(request.files ? { files: request.files } : {}) });
      expect(text, 'a refusal that tells this group apart from any other').toBe(elsewhere.text);
      expect(status).toBe(elsewhere.status);
    }
  }
  await delivered(group.chatId);
  expect(await chatSeq(group.chatId), 'the group wrote an event').toBe(before.chat);
  expect(await ownerPts(), "the owner's pts moved").toBe(before.owner);
  if (caller.botId) expect(await pendingUpdates(caller.token), 'the caller got updates').toBe(before.pending);
}

describe('Bot API authorization matrix', () => {
  it('has a request for every row and a cell for every caller', () => {
    for (const row of Object.keys(MATRIX)) {
      expect(ROWS[row], `no request for ${row}`).toBeDefined();
      expect(cellsOf(row).revoked, row).toBe('U');
      expect(cellsOf(row).anonymous, row).toBe('U');
    }
  });

  describe.each(Object.keys(MATRIX))('%s', (rowName) => {
    const cells = cellsOf(rowName);
    const columns = cellsToRun(rowName, cells, SIZE, SEED);
    it.each(columns.map((column) => [column, MEANING[cells[column]], cells[column]] as const))('by the %s bot: %s', { timeout: 30_000 }, async (column, _, cell) => {
      await runCell(rowName, column, cell);
    });
  });
});
