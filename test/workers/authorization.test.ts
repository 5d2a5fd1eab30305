/**
 * The authorization matrix: every account method (protocol/methods.ts) and
 * every session route × every kind of caller, with the expected answer per
 * cell. Each allowed write runs against a fresh group; the refusals and reads
 * of a row share one (a refusal is checked to change nothing).
 *
 * Callers (columns):
 *   owner      created the group (role creator)
 *   admin      appointed admin by the owner
 *   member     a plain member
 *   restricted a plain member the owner restricted (restrictChatMember: may
 *              neither send messages nor media; reads as a member)
 *   removed    was a member (and sent a message), then removed by the owner
 *   banned     was a member (and sent a message), then banned by the group's
 *              admin bot (banChatMember): removed and kept out
 *   outsider   signed in, never a member
 *   bot        another account's bot (the outsider's), presenting its bot
 *              token as the bearer: bots have no account API
 *   anonymous  no token
 *   terminated the owner's own token after logout
 * Bots as callers of the Bot API, on chats they are not in and objects they
 * do not own, have their own matrix: authorization-bot-api.test.ts. Rows
 * cover every account method, every session, upload and download route and
 * every frame type (a `call` frame is each method's row, sent over the
 * caller's socket in every refusal; `ping` needs no rights).
 *
 * Cells:
 *   A  allowed: 2xx, and the body matches the method's result schema
 *   F  refused with 403 (FORBIDDEN or MESSAGE_NOT_MODIFIABLE)
 *   N  refused with 404 NOT_FOUND, byte-identical to the answer for a chat
 *      (or session) that does not exist: no existence leak
 *   U  refused with 401 UNAUTHORIZED
 *   B  let through authorization, then refused with 400 BAD_REQUEST (or CHAT_NOT_FORUM) because
 *      the request does not fit the chat (views are counted in channels)
 *   -  pending: the method's feature is not built yet (see `pending` below)
 * Every refusal also proves the caller learned nothing and nothing changed:
 * the same call over the caller's open WebSocket gets the same error frame,
 * the socket receives no frame about the chat, getDifference from before the
 * call is empty, and the owner's pts and the chat's event sequence stay put.
 *
 * Size: about 560 cells, three to six minutes, in `npm run test:soak` (CI);
 * `npm test` checks one cell per kind of answer in every row, the columns
 * picked by the run's seed (test/support/matrix-sample.ts).
 */
import { env, runInDurableObject } from 'cloudflare:test';
import { Secret, TOTP } from 'otpauth';
import { beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { chatRoomStub, mailbox } from '../../durable-objects/stubs.js';
import { ErrorCode } from '../../protocol/errors.js';
import { MeResult, OkResult } from '../../protocol/http/auth.js';
import { ConnectTicket } from '../../protocol/http/connect.js';
import { SessionList, TerminateOthersResult } from '../../protocol/http/sessions.js';
import { PasskeyRegistrationOptionsResult } from '../../protocol/http/passkeys.js';
import { methodNames, methods, type MethodName } from '../../protocol/methods.js';
import { PING_FRAME } from '../../protocol/ws.js';
import { UploadInfo, UploadPartResult, UploadStatus } from '../../protocol/http/uploads.js';
import { REACTION_EMOJI } from '../../protocol/reactions.js';
import { FileInfo } from '../../protocol/media.js';
import { botOk, newBot, type TestBot } from './bot-api-helpers.js';
import { api, connect, login, signup, type Account, type TestSocket } from './helpers.js';
import { createUpload, jpeg, PART, upload } from './media-helpers.js';
import { addPasskey, newQrToken } from './passkey-helpers.js';
import type { SoftPasskey } from '../support/soft-authenticator.js';
import { cellsToRun } from '../support/matrix-sample.js';
import { suiteSize } from '../support/suite-size.js';

const SIZE = suiteSize(env);
const SEED = Number(env.EDGEGRAM_FUZZ_SEED);

const COLUMNS = ['owner', 'admin', 'member', 'restricted', 'removed', 'banned', 'outsider', 'bot', 'anonymous', 'terminated'] as const;
type Column = (typeof COLUMNS)[number];
type Cell = 'A' | 'B' | 'F' | 'N' | 'U' | '-';

// prettier-ignore
const MATRIX: Record<string, string> = {
  //                                              owner admin member restricted removed banned outsider bot anonymous terminated
  'getState':                                     'A    A     A      A          A       A      A        U   U         U',
  'getDifference':                                'A    A     A      A          A       A      A        U   U         U',
  'getDialogs':                                   'A    A     A      A          A       A      A        U   U         U',
  'getChannelDifference (of a basic group)':      'N    N     N      N          N       N      N        U   U         U',
  'getHistory':                                   'A    A     A      A          N       N      N        U   U         U',
  'getMessages':                                  'A    A     A      A          N       N      N        U   U         U',
  'sendMessage':                                  'A    A     A      F          N       N      N        U   U         U',
  'sendMedia':                                    'A    A     A      F          N       N      N        U   U         U',
  'sendAlbum':                                    'A    A     A      F          N       N      N        U   U         U',
  'getFileUrl':                                   'A    A     A      A          N       N      N        U   U         U',
  'forwardMessages (out of the chat)':            'A    A     A      A          N       N      N        U   U         U',
  'editMessage (own message)':                    'A    A     A      A          N       N      N        U   U         U',
  "editMessage (another's message)":              'F    F     F      F          N       N      N        U   U         U',
  'deleteMessages (own, for everyone)':           'A    A     A      A          N       N      N        U   U         U',
  "deleteMessages (another's, for everyone)":     'A    A     F      F          N       N      N        U   U         U',
  'readHistory':                                  'A    A     A      A          N       N      N        U   U         U',
  'sendReaction':                                 'A    A     A      A          N       N      N        U   U         U',
  'setTyping':                                    'A    A     A      A          N       N      N        U   U         U',
  'createGroup':                                  'A    A     A      A          A       A      A        U   U         U',
  'createChannel':                                'A    A     A      A          A       A      A        U   U         U',
  'createSupergroup':                             'A    A     A      A          A       A      A        U   U         U',
  'migrateChat':                                  'A    F     F      F          N       N      N        U   U         U',
  'getChatMembers':                               'A    A     A      A          N       N      N        U   U         U',
  'getChatOnlineCount':                           'A    A     A      A          N       N      N        U   U         U',
  'getChat':                                      'A    A     A      A          N       N      N        U   U         U',
  'getMessagesViews (in a group)':                'B    B     B      B          N       N      N        U   U         U',
  'searchMessages':                               'A    A     A      A          N       N      N        U   U         U',
  'searchGlobal':                                 'A    A     A      A          A       A      A        U   U         U',
  'addChatMember':                                'A    A     F      F          N       N      N        U   U         U',
  'removeChatMember (a member)':                  'A    A     F      F          N       N      N        U   U         U',
  'leaveChat':                                    'A    A     A      A          N       N      N        U   U         U',
  'editChatTitle':                                'A    A     F      F          N       N      N        U   U         U',
  'editChatDescription':                          'A    A     F      F          N       N      N        U   U         U',
  'setChatPhoto':                                 'A    A     F      F          N       N      N        U   U         U',
  'deleteChatPhoto':                              'A    A     F      F          N       N      N        U   U         U',
  'getChatPhotoUrl':                              'A    A     A      A          N       N      N        U   U         U',
  'toggleSignatures (in a group)':                'B    B     F      F          N       N      N        U   U         U',
  'setChatAdmin':                                 'A    F     F      F          N       N      N        U   U         U',
  'editChatAdmin (a member, narrow rights)':      'A    F     F      F          N       N      N        U   U         U',
  'setChatAdminTitle (the admin)':                'A    F     F      F          N       N      N        U   U         U',
  'transferChatOwnership (to the member)':        'A    F     F      F          N       N      N        U   U         U',
  'banChatMember (a member)':                     'A    A     F      F          N       N      N        U   U         U',
  'unbanChatMember (the banned user)':            'A    A     F      F          N       N      N        U   U         U',
  'setChatPermissions':                           'A    A     F      F          N       N      N        U   U         U',
  'setChatSlowMode':                              'A    A     F      F          N       N      N        U   U         U',
  "pinMessage (the owner's message)":             'A    A     F      F          N       N      N        U   U         U',
  'unpinMessage':                                 'A    A     F      F          N       N      N        U   U         U',
  'unpinAllMessages':                             'A    A     F      F          N       N      N        U   U         U',
  'getAdminLog':                                  'A    A     F      F          N       N      N        U   U         U',
  'toggleForum (on a basic group)':               'B    B     F      F          N       N      N        U   U         U',
  'createForumTopic (in a basic group)':          'B    B     B      B          N       N      N        U   U         U',
  'editForumTopic (in a basic group)':            'B    B     B      B          N       N      N        U   U         U',
  'closeForumTopic (in a basic group)':           'B    B     B      B          N       N      N        U   U         U',
  'reopenForumTopic (in a basic group)':          'B    B     B      B          N       N      N        U   U         U',
  'deleteForumTopic (in a basic group)':          'B    B     B      B          N       N      N        U   U         U',
  'getForumTopics (of a basic group)':            'B    B     B      B          N       N      N        U   U         U',
  'restrictChatMember (a member)':                'A    A     F      F          N       N      N        U   U         U',
  'createChatInviteLink':                         'A    A     F      F          N       N      N        U   U         U',
  'getChatInviteLinks':                           'A    A     F      F          N       N      N        U   U         U',
  "revokeChatInviteLink (the owner's link)":      'A    A     F      F          N       N      N        U   U         U',
  'checkChatInviteLink (a link to the group)':    'A    A     A      A          A       A      A        U   U         U',
  'joinChatByInviteLink (a link to the group)':   'A    A     A      A          A       F      A        U   U         U',
  'joinChat (a group that is not public)':        'N    N     N      N          N       N      N        U   U         U',
  'setChatUsername (of a basic group)':           'B    F     F      F          N       N      N        U   U         U',
  'setChatJoinByRequest (of a basic group)':      'B    B     F      F          N       N      N        U   U         U',
  'getChatJoinRequests':                          'A    A     F      F          N       N      N        U   U         U',
  "approveChatJoinRequest (the target's)":        'A    A     F      F          N       N      N        U   U         U',
  "declineChatJoinRequest (the target's)":        'A    A     F      F          N       N      N        U   U         U',
  'setDiscussionGroup (of a basic group)':        'B    B     B      B          N       N      N        U   U         U',
  'getDiscussionMessage (in a basic group)':      'B    B     B      B          N       N      N        U   U         U',
  'getDiscussionReplies (in a basic group)':      'B    B     B      B          N       N      N        U   U         U',
  'joinDiscussionGroup (of a basic group)':       'B    B     B      B          N       N      N        U   U         U',
  'getUsers':                                     'A    A     A      A          A       A      A        U   U         U',
  'addContact (the target)':                      'A    A     A      A          A       A      A        U   U         U',
  'deleteContacts (the target)':                  'A    A     A      A          A       A      A        U   U         U',
  'getContacts':                                  'A    A     A      A          A       A      A        U   U         U',
  'searchPeople':                                 'A    A     A      A          A       A      A        U   U         U',
  'blockUser (the target)':                       'A    A     A      A          A       A      A        U   U         U',
  'unblockUser (the target)':                     'A    A     A      A          A       A      A        U   U         U',
  'getBlockedUsers':                              'A    A     A      A          A       A      A        U   U         U',
  'getPrivacy':                                   'A    A     A      A          A       A      A        U   U         U',
  'setPrivacy (own bio rule)':                    'A    A     A      A          A       A      A        U   U         U',
  'resolveUsername':                              'A    A     A      A          A       A      A        U   U         U',
  'setProfilePhoto (own upload)':                 'A    A     A      A          A       A      A        U   U         U',
  'deleteProfilePhotos (own, unknown ids)':       'A    A     A      A          A       A      A        U   U         U',
  "getUserPhotos (the owner's)":                  'A    A     A      A          A       A      A        U   U         U',
  "getUserPhotoUrl (the owner's current)":        'A    A     A      A          A       A      A        U   U         U',
  'acceptMessageRequest (a group: none)':         'A    A     A      A          A       A      A        U   U         U',
  'updateProfile (own profile)':                  'A    A     A      A          A       A      A        U   U         U',
  'changePassword (own, to the same one)':        'A    A     A      A          A       A      A        U   U         U',
  'getTwoFactorStatus':                           'A    A     A      A          A       A      A        U   U         U',
  'enableTwoFactor (own)':                        'A    A     A      A          A       A      A        U   U         U',
  'confirmTwoFactor (own setup)':                 'A    A     A      A          A       A      A        U   U         U',
  'disableTwoFactor (own)':                       'A    A     A      A          A       A      A        U   U         U',
  'deleteAccount (own, then cancelled)':          'A    A     A      A          A       A      A        U   U         U',
  'cancelAccountDeletion':                        'A    A     A      A          A       A      A        U   U         U',
  'getAccountDeletion':                           'A    A     A      A          A       A      A        U   U         U',
  'requestDataExport (own)':                      'A    A     A      A          A       A      A        U   U         U',
  'getDataExport':                                'A    A     A      A          A       A      A        U   U         U',
  "reportMessages (the owner's message)":         'A    A     A      A          N       N      N        U   U         U',
  'reportChat (the group)':                       'A    A     A      A          N       N      N        U   U         U',
  'reportUser (the target)':                      'A    A     A      A          A       A      A        U   U         U',
  'createBot':                                    'A    A     A      A          A       A      A        U   U         U',
  'listMyBots':                                   'A    A     A      A          A       A      A        U   U         U',
  "renameBot (the owner's bot)":                  'A    N     N      N          N       N      N        U   U         U',
  "revokeBotToken (the owner's bot)":             'A    N     N      N          N       N      N        U   U         U',
  "setBotPrivacy (the owner's bot)":              'A    N     N      N          N       N      N        U   U         U',
  "deleteBot (the owner's bot)":                  'A    N     N      N          N       N      N        U   U         U',
  "pressCallbackButton (the group bot's button)": 'A    A     A      A          N       N      N        U   U         U',
  'getBotCommands (any bot)':                     'A    A     A      A          A       A      A        U   U         U',
  'GET /v1/auth/me':                              'A    A     A      A          A       A      A        U   U         U',
  'POST /v1/auth/logout (own session)':           'A    A     A      A          A       A      A        U   U         U',
  'GET /v1/sessions':                             'A    A     A      A          A       A      A        U   U         U',
  'getPasskeys':                                  'A    A     A      A          A       A      A        U   U         U',
  "deletePasskey (the owner's)":                  'A    N     N      N          N       N      N        U   U         U',
  "checkLoginToken (a waiting device's)":         'A    A     A      A          A       A      A        U   U         U',
  "acceptLoginToken (a waiting device's)":        'A    A     A      A          A       A      A        U   U         U',
  'POST /v1/auth/passkeys/register/options':      'A    A     A      A          A       A      A        U   U         U',
  "DELETE /v1/sessions/:id (owner's other one)":  'A    N     N      N          N       N      N        U   U         U',
  'POST /v1/sessions/terminate-others':           'A    A     A      A          A       A      A        U   U         U',
  'POST /v1/connect/ticket':                      'A    A     A      A          A       A      A        U   U         U',
  'POST /v1/uploads':                             'A    A     A      A          A       A      A        U   U         U',
  "GET /v1/uploads/:id (the owner's upload)":     'A    N     N      N          N       N      N        U   U         U',
  "PUT /v1/uploads/:id (the owner's upload)":     'A    N     N      N          N       N      N        U   U         U',
  "PUT /v1/uploads/:id/parts/:n (the owner's)":   'A    N     N      N          N       N      N        U   U         U',
  "POST /v1/uploads/:id/complete (the owner's)":  'A    N     N      N          N       N      N        U   U         U',
  "DELETE /v1/uploads/:id (the owner's upload)":  'A    N     N      N          N       N      N        U   U         U',
  'GET /v1/files/:file_id (a signed link)':       'A    A     A      A          A       A      A        A   A         A',
  'GET /v1/openapi.json':                         'A    A     A      A          A       A      A        A   A         A',
};

/**
 * Routes anyone may call without a session: the signed link is the
 * capability (whoever holds it may download until it expires, as with a
 * link in an <img>), and the API's description is public.
 */
const PUBLIC = new Set(['GET /v1/files/:file_id (a signed link)', 'GET /v1/openapi.json']);

/** Methods whose feature is still being built: their row is `-` until it lands. */
const pending = new Set<string>([]);

// ---- the cast ----

type People = Record<'owner' | 'admin' | 'member' | 'restricted' | 'extra' | 'removed' | 'banned' | 'outsider' | 'target', Account>;
let people: People;
/** Two uploaded photos per account that acts, for sendMedia and sendAlbum (a sender may use only files it may see). */
const photos = new Map<number, FileInfo[]>();
/** The owner's token after logout. */
let terminatedToken: string;
/** The owner's bot, an admin of every test group: it bans `banned` and posts the message with a callback button. */
let groupBot: TestBot;
/** Another account's (the outsider's) bot: the `bot` column. */
let strangerBot: TestBot;

beforeAll(async () => {
  const names = ['owner', 'admin', 'member', 'restricted', 'extra', 'removed', 'banned', 'outsider', 'target'] as const;
  people = Object.fromEntries(await Promise.all(names.map(async (n) => [n, await signup({ displayName: n })]))) as People;
  const ended = await login(people.owner, { deviceName: 'Ended phone' });
  expect((await api('/v1/auth/logout', { method: 'POST', token: ended.token })).status).toBe(200);
  terminatedToken = ended.token;
  groupBot = await newBot(people.owner);
  strangerBot = await newBot(people.outsider);
  for (const name of ['owner', 'admin', 'member', 'restricted', 'removed', 'banned', 'outsider'] as const) {
    const account = people[name];
    photos.set(account.user.id, [await upload(account, jpeg(2_048, account.user.id)), await upload(account, jpeg(2_048, account.user.id + 1_000))]);
  }
}, 60_000);

/**
 * A fresh group: owner (creator), admin, member, extra (a member to act on),
 * the owner's bot (an admin); messages by owner, admin, member, `restricted`
 * (then restricted), `removed` (then removed) and `banned` (then banned by
 * the bot), a photo by the owner
 * and a message with a callback button by the bot.
 */
type Group = { chatId: number; messageOf: Record<'owner' | 'admin' | 'member' | 'restricted' | 'removed' | 'banned', number>; photo: number; button: number };

async function freshGroup(): Promise<Group> {
  const { owner, admin, member, restricted, extra, removed, banned } = people;
  // The matrix makes a group per allowed write, hundreds from one owner: past the
  // hourly chat limits, which are tested on their own (security.test.ts).
  await env.DB.prepare("DELETE FROM rate_limits WHERE key LIKE 'chats:%'").run();
  const { chat } = await callOk(owner, 'createGroup', {
    title: 'Matrix',
    user_ids: [admin.user.id, member.user.id, restricted.user.id, extra.user.id, removed.user.id, banned.user.id, groupBot.id],
  });
  await callOk(owner, 'setChatAdmin', { chat_id: chat.id, user_id: admin.user.id, is_admin: true });
  await callOk(owner, 'setChatAdmin', { chat_id: chat.id, user_id: groupBot.id, is_admin: true });
  const messageOf = {} as Group['messageOf'];
  for (const name of ['owner', 'admin', 'member', 'restricted', 'removed', 'banned'] as const) {
    const { message } = await callOk(people[name], 'sendMessage', { peer: { chat_id: chat.id }, random_id: `by-${name}`, text: `from ${name}` });
    messageOf[name] = message.id;
  }
  await callOk(owner, 'removeChatMember', { chat_id: chat.id, user_id: removed.user.id });
  await callOk(owner, 'restrictChatMember', { chat_id: chat.id, user_id: restricted.user.id, can_send_messages: false, can_send_media: false });
  await botOk(groupBot.token, 'banChatMember', { chat_id: -chat.id, user_id: banned.user.id });
  const { message: photo } = await callOk(owner, 'sendMedia', { peer: { chat_id: chat.id }, random_id: 'photo', media: photoOf(owner) });
  const button = await botOk<{ message_id: number }>(groupBot.token, 'sendMessage', {
    chat_id: -chat.id,
    text: 'Press me',
    reply_markup: { inline_keyboard: [[{ text: 'Go', callback_data: 'go' }]] },
  });
  await delivered(chat.id);
  return { chatId: chat.id, messageOf, photo: photo.id, button: button.message_id };
}

/**
 * Refusals change nothing (each cell checks it), and neither do allowed reads,
 * so a row's cells share one group; an allowed write gets its own.
 */
const sharedGroups = new Map<string, Promise<Group>>();
const READS = new Set<string>([
  'getAdminLog',
  'getContacts',
  'searchPeople',
  'getBlockedUsers',
  'getPrivacy',
  'getChatJoinRequests',
  'getChatPhotoUrl',
  'getDiscussionMessage (in a basic group)',
  'getDiscussionReplies (in a basic group)',
  'getState',
  'getDifference',
  'getDialogs',
  'getHistory',
  'getMessages',
  'getChat',
  'searchMessages',
  'searchGlobal',
  'getUsers',
  'resolveUsername',
  'getTwoFactorStatus',
  'getAccountDeletion',
  'getDataExport',
  "getUserPhotos (the owner's)",
  "getUserPhotoUrl (the owner's current)",
  'getPasskeys',
]);

function groupFor(rowName: string, cell: Cell): Promise<Group> {
  if (cell === 'A' && !READS.has(rowName)) return freshGroup();
  if (!sharedGroups.has(rowName)) sharedGroups.set(rowName, freshGroup());
  return sharedGroups.get(rowName)!;
}

async function callOk<M extends MethodName>(who: Account, method: M, params: unknown): Promise<z.infer<(typeof methods)[M]['result']>> {
  const res = await api(`/v1/call/${method}`, { body: params, token: who.token });
  if (res.status !== 200) throw new Error(`${method}: ${res.status} ${await res.text()}`);
  return (await res.json()) as z.infer<(typeof methods)[M]['result']>;
}

async function delivered(chatId: number): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const n = await runInDurableObject(chatRoomStub(env, chatId), (_, state) => state.storage.sql.exec<{ n: number }>('SELECT count(*) AS n FROM outbox_events').one().n);
    if (n === 0) return;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error(`chat ${chatId}: outbox did not drain`);
}

// ---- what each row does ----

/** Gives the group a photo (the owner's upload) once; delivered before the cell looks at anyone's pts. */
const photographed = new Set<number>();
async function withChatPhoto(g: Group): Promise<void> {
  if (photographed.has(g.chatId)) return;
  photographed.add(g.chatId);
  await callOk(people.owner, 'setChatPhoto', { chat_id: g.chatId, file_id: photos.get(people.owner.user.id)![1]!.id });
  await delivered(g.chatId);
}

/** The owner's profile photo, set once (its "everybody" rule lets every signed-in column see it). */
let ownerPhoto: Promise<unknown> | undefined;
function ownerProfilePhoto(): Promise<unknown> {
  ownerPhoto ??= callOk(people.owner, 'setProfilePhoto', { file_id: photos.get(people.owner.user.id)![1]!.id });
  return ownerPhoto;
}

/** Who acts in a cell: the account whose rights are tested, and the token presented. */
type Actor = { column: Column; account: Account; token: string | undefined };

/** One request; `nowhere` is the same request aimed at a chat or session that does not exist. */
type Request = { method: string; path: string; body?: unknown; nowhere?: { path: string; body?: unknown } };

const NO_SUCH_CHAT = 2_000_000_000;

function callRequest(method: MethodName, params: (chatId: number) => Record<string, unknown>, chatId: number): Request {
  return { method: 'POST', path: `/v1/call/${method}`, body: params(chatId), nowhere: { path: `/v1/call/${method}`, body: params(NO_SUCH_CHAT) } };
}

/** The actor's own message, where they have one (an outsider never does: the owner's stands in). */
const own = (g: Group, a: Actor) => g.messageOf[a.column as keyof Group['messageOf']] ?? g.messageOf.owner;
/** Someone else's message: the member's for the owner, the owner's for everyone else. */
const others = (g: Group, a: Actor) => (a.column === 'owner' ? g.messageOf.member : g.messageOf.owner);

const photoOf = (account: Account, n = 0) => ({ kind: 'photo', file_id: photos.get(account.user.id)![n]!.id });

type Row = {
  needsGroup: boolean;
  build: (g: Group, a: Actor) => Promise<Request> | Request;
  result?: z.ZodType;
  /** An allowed call makes the caller a member (joining by a link): its answer is the chat. */
  joins?: boolean;
  /** Runs alongside an allowed call (a bot answering the button press the call waits for). */
  during?: (g: Group, a: Actor) => Promise<void>;
  /** Runs after an allowed call, with its answer: undoes what would change the cast for later rows. */
  after?: (a: Actor, result: unknown) => Promise<void>;
};

const chatCall = (method: MethodName, params: (g: Group, a: Actor, chatId: number) => Record<string, unknown>): Row => ({
  needsGroup: true,
  build: (g, a) => callRequest(method, (chatId) => params(g, a, chatId), g.chatId),
  result: methods[method].result,
});

const accountCall = (method: MethodName, params: (a: Actor) => Record<string, unknown>): Row => ({
  needsGroup: true, // still run with a group, to check the answer says nothing about it
  build: (_, a) => ({ method: 'POST', path: `/v1/call/${method}`, body: params(a) }),
  result: methods[method].result,
});

/** A call with a fresh invite link to the group, made by its owner. */
const inviteCall = (method: MethodName): Row => ({
  needsGroup: true,
  async build(g) {
    const { link } = await callOk(people.owner, 'createChatInviteLink', { chat_id: g.chatId });
    return { method: 'POST', path: `/v1/call/${method}`, body: { token: link.token } };
  },
  result: methods[method].result,
});

/** A call on the request `target` made through a link of the owner's that needs approval. */
const requestCall = (method: 'approveChatJoinRequest' | 'declineChatJoinRequest'): Row => ({
  needsGroup: true,
  async build(g) {
    const { link } = await callOk(people.owner, 'createChatInviteLink', { chat_id: g.chatId, creates_join_request: true });
    await callOk(people.target, 'joinChatByInviteLink', { token: link.token });
    return callRequest(method, (chat_id) => ({ chat_id, user_id: people.target.user.id }), g.chatId);
  },
  result: methods[method].result,
});

const route = (method: string, path: string, result: z.ZodType): Row => ({ needsGroup: false, build: () => ({ method, path }), result });

const ROWS: Record<string, Row> = {
  getState: accountCall('getState', () => ({})),
  getDifference: accountCall('getDifference', () => ({ pts: 0 })),
  getDialogs: accountCall('getDialogs', () => ({})),
  getHistory: chatCall('getHistory', (_, __, chat_id) => ({ chat_id })),
  getMessages: chatCall('getMessages', (g, _, chat_id) => ({ chat_id, ids: [g.messageOf.owner] })),
  sendMessage: chatCall('sendMessage', (_, __, chat_id) => ({ peer: { chat_id }, random_id: 'matrix', text: 'hello' })),
  sendMedia: chatCall('sendMedia', (_, a, chat_id) => ({ peer: { chat_id }, random_id: 'matrix-photo', media: photoOf(a.account) })),
  sendAlbum: chatCall('sendAlbum', (_, a, chat_id) => ({
    peer: { chat_id },
    items: [0, 1].map((n) => ({ random_id: `matrix-album-${n}`, media: photoOf(a.account, n) })),
  })),
  getFileUrl: chatCall('getFileUrl', (g, _, chat_id) => ({ chat_id, message_id: g.photo })),
  'forwardMessages (out of the chat)': chatCall('forwardMessages', (g, a, from_chat_id) => ({
    from_chat_id,
    ids: [g.messageOf.owner],
    to: { user_id: a.account.user.id },
    random_ids: ['fwd'],
  })),
  'editMessage (own message)': chatCall('editMessage', (g, a, chat_id) => ({ chat_id, id: own(g, a), text: 'edited' })),
  "editMessage (another's message)": chatCall('editMessage', (g, a, chat_id) => ({ chat_id, id: others(g, a), text: 'edited' })),
  'deleteMessages (own, for everyone)': chatCall('deleteMessages', (g, a, chat_id) => ({ chat_id, ids: [own(g, a)], for_everyone: true })),
  "deleteMessages (another's, for everyone)": chatCall('deleteMessages', (g, a, chat_id) => ({ chat_id, ids: [others(g, a)], for_everyone: true })),
  readHistory: chatCall('readHistory', (_, __, chat_id) => ({ chat_id, max_id: 4 })),
  sendReaction: chatCall('sendReaction', (g, _, chat_id) => ({ chat_id, message_id: g.messageOf.owner, reaction: [REACTION_EMOJI[0]] })),
  'restrictChatMember (a member)': chatCall('restrictChatMember', (_, __, chat_id) => ({
    chat_id,
    user_id: people.extra.user.id,
    can_send_messages: false,
    can_send_media: false,
  })),
  setTyping: chatCall('setTyping', (_, __, chat_id) => ({ chat_id, action: 'typing' })),
  createChatInviteLink: chatCall('createChatInviteLink', (_, __, chat_id) => ({ chat_id, name: 'Matrix', member_limit: 5 })),
  getChatInviteLinks: chatCall('getChatInviteLinks', (_, __, chat_id) => ({ chat_id })),
  "revokeChatInviteLink (the owner's link)": {
    needsGroup: true,
    async build(g) {
      const { link } = await callOk(people.owner, 'createChatInviteLink', { chat_id: g.chatId });
      return callRequest('revokeChatInviteLink', (chat_id) => ({ chat_id, link_id: link.id }), g.chatId);
    },
    result: methods.revokeChatInviteLink.result,
  },
  // A link is for anyone who holds it: members see their chat, everyone else only its title and size; a banned user may not join.
  'checkChatInviteLink (a link to the group)': inviteCall('checkChatInviteLink'),
  'joinChatByInviteLink (a link to the group)': { ...inviteCall('joinChatByInviteLink'), joins: true },
  // The matrix's group has no username: joining it by id is joining a chat that is not there.
  'joinChat (a group that is not public)': chatCall('joinChat', (_, __, chat_id) => ({ chat_id })),
  // Public chats are supergroups and channels: in the matrix's basic group the managers get BAD_REQUEST (public-chats.test.ts covers them).
  'setChatUsername (of a basic group)': chatCall('setChatUsername', (_, a, chat_id) => ({ chat_id, username: `matrix_${a.column}_${crypto.randomUUID().slice(0, 6)}` })),
  'setChatJoinByRequest (of a basic group)': chatCall('setChatJoinByRequest', (_, __, chat_id) => ({ chat_id, enabled: true })),
  getChatJoinRequests: chatCall('getChatJoinRequests', (_, __, chat_id) => ({ chat_id })),
  "approveChatJoinRequest (the target's)": requestCall('approveChatJoinRequest'),
  "declineChatJoinRequest (the target's)": requestCall('declineChatJoinRequest'),
  // Comments are a channel's (channel-comments.test.ts covers them): in the matrix's basic group, members get BAD_REQUEST.
  'setDiscussionGroup (of a basic group)': chatCall('setDiscussionGroup', (_, __, channel_id) => ({ channel_id, group_id: null })),
  'getDiscussionMessage (in a basic group)': chatCall('getDiscussionMessage', (g, _, channel_id) => ({ channel_id, post_id: g.messageOf.owner })),
  'getDiscussionReplies (in a basic group)': chatCall('getDiscussionReplies', (g, _, channel_id) => ({ channel_id, post_id: g.messageOf.owner })),
  'joinDiscussionGroup (of a basic group)': chatCall('joinDiscussionGroup', (_, __, channel_id) => ({ channel_id })),
  createGroup: accountCall('createGroup', () => ({ title: 'Mine', user_ids: [] })),
  createChannel: accountCall('createChannel', () => ({ title: 'Mine', user_ids: [] })),
  createSupergroup: accountCall('createSupergroup', () => ({ title: 'Big one', user_ids: [] })),
  migrateChat: chatCall('migrateChat', (_, __, chat_id) => ({ chat_id })),
  getChatMembers: chatCall('getChatMembers', (_, __, chat_id) => ({ chat_id, limit: 5 })),
  getChatOnlineCount: chatCall('getChatOnlineCount', (_, __, chat_id) => ({ chat_id })),
  // Only large chats have a log of their own: for a basic group the answer is a missing chat's, even to its owner.
  'getChannelDifference (of a basic group)': chatCall('getChannelDifference', (_, __, chat_id) => ({ chat_id, pts: 0 })),
  getChat: chatCall('getChat', (_, __, chat_id) => ({ chat_id })),
  // Views are a channel's: members get past authorization and are told so; the rest learn nothing.
  'getMessagesViews (in a group)': chatCall('getMessagesViews', (g, _, chat_id) => ({ chat_id, ids: [g.messageOf.owner], increment: false })),
  searchMessages: chatCall('searchMessages', (_, __, chat_id) => ({ chat_id, query: 'from' })),
  searchGlobal: accountCall('searchGlobal', () => ({ query: 'from' })),
  addChatMember: chatCall('addChatMember', (_, __, chat_id) => ({ chat_id, user_id: people.target.user.id })),
  'removeChatMember (a member)': chatCall('removeChatMember', (_, __, chat_id) => ({ chat_id, user_id: people.extra.user.id })),
  leaveChat: chatCall('leaveChat', (_, __, chat_id) => ({ chat_id })),
  editChatTitle: chatCall('editChatTitle', (_, __, chat_id) => ({ chat_id, title: 'Renamed' })),
  editChatDescription: chatCall('editChatDescription', (_, __, chat_id) => ({ chat_id, description: 'What we talk about\nand why' })),
  // Each caller offers its own upload: a refusal is then the chat's, not the file's.
  setChatPhoto: chatCall('setChatPhoto', (_, a, chat_id) => ({ chat_id, file_id: photos.get(a.account.user.id)![0]!.id })),
  deleteChatPhoto: {
    needsGroup: true,
    async build(g) {
      await withChatPhoto(g);
      return callRequest('deleteChatPhoto', (chat_id) => ({ chat_id }), g.chatId);
    },
    result: methods.deleteChatPhoto.result,
  },
  getChatPhotoUrl: {
    needsGroup: true,
    async build(g) {
      await withChatPhoto(g);
      return callRequest('getChatPhotoUrl', (chat_id) => ({ chat_id, big: true }), g.chatId);
    },
    result: methods.getChatPhotoUrl.result,
  },
  // A channel's setting: in the matrix's group the managers get BAD_REQUEST (channels.test.ts covers channels).
  'toggleSignatures (in a group)': chatCall('toggleSignatures', (_, __, chat_id) => ({ chat_id, enabled: true })),
  setChatAdmin: chatCall('setChatAdmin', (_, __, chat_id) => ({ chat_id, user_id: people.extra.user.id, is_admin: true })),
  'editChatAdmin (a member, narrow rights)': chatCall('editChatAdmin', (_, __, chat_id) => ({
    chat_id,
    user_id: people.extra.user.id,
    rights: { can_pin_messages: true },
    title: 'Pinner',
  })),
  'setChatAdminTitle (the admin)': chatCall('setChatAdminTitle', (_, __, chat_id) => ({ chat_id, user_id: people.admin.user.id, title: 'Deputy' })),
  // Confirmed by the caller's own password (every account here has the same one): the room decides who may.
  'transferChatOwnership (to the member)': chatCall('transferChatOwnership', (_, a, chat_id) => ({
    chat_id,
    user_id: people.member.user.id,
    password: a.account.password,
  })),
  'banChatMember (a member)': chatCall('banChatMember', (_, __, chat_id) => ({ chat_id, user_id: people.extra.user.id })),
  'unbanChatMember (the banned user)': chatCall('unbanChatMember', (_, __, chat_id) => ({ chat_id, user_id: people.banned.user.id })),
  setChatPermissions: chatCall('setChatPermissions', (_, __, chat_id) => ({
    chat_id,
    permissions: {
      can_send_messages: true,
      can_send_media: false,
      can_send_links: true,
      can_send_polls: true,
      can_invite_users: false,
      can_pin_messages: true,
      can_change_info: false,
      can_manage_topics: false,
    },
  })),
  setChatSlowMode: chatCall('setChatSlowMode', (_, __, chat_id) => ({ chat_id, seconds: 30 })),
  "pinMessage (the owner's message)": chatCall('pinMessage', (g, _, chat_id) => ({ chat_id, message_id: g.messageOf.owner })),
  unpinMessage: chatCall('unpinMessage', (_, __, chat_id) => ({ chat_id })),
  unpinAllMessages: chatCall('unpinAllMessages', (_, __, chat_id) => ({ chat_id })),
  getAdminLog: chatCall('getAdminLog', (_, __, chat_id) => ({ chat_id, limit: 10 })),
  // Forums are supergroups: in the matrix's basic group every member is let through to CHAT_NOT_FORUM
  // (toggleForum checks can_change_info first); the rules within a forum are test/workers/forum-topics.test.ts.
  'toggleForum (on a basic group)': chatCall('toggleForum', (_, __, chat_id) => ({ chat_id, enabled: true })),
  'createForumTopic (in a basic group)': chatCall('createForumTopic', (_, __, chat_id) => ({ chat_id, name: 'Topic' })),
  'editForumTopic (in a basic group)': chatCall('editForumTopic', (_, __, chat_id) => ({ chat_id, message_thread_id: 1, name: 'Lobby' })),
  'closeForumTopic (in a basic group)': chatCall('closeForumTopic', (_, __, chat_id) => ({ chat_id, message_thread_id: 1 })),
  'reopenForumTopic (in a basic group)': chatCall('reopenForumTopic', (_, __, chat_id) => ({ chat_id, message_thread_id: 1 })),
  'deleteForumTopic (in a basic group)': chatCall('deleteForumTopic', (_, __, chat_id) => ({ chat_id, message_thread_id: 2 })),
  'getForumTopics (of a basic group)': chatCall('getForumTopics', (_, __, chat_id) => ({ chat_id })),
  getUsers: accountCall('getUsers', () => ({ ids: [people.owner.user.id] })),
  // One's own contacts and block list: every signed-in person has them, and acts on its own only.
  'addContact (the target)': accountCall('addContact', () => ({ user_id: people.target.user.id, first_name: 'Target' })),
  'deleteContacts (the target)': accountCall('deleteContacts', () => ({ user_ids: [people.target.user.id] })),
  getContacts: accountCall('getContacts', () => ({})),
  searchPeople: accountCall('searchPeople', () => ({ query: people.owner.username })),
  'blockUser (the target)': accountCall('blockUser', () => ({ user_id: people.target.user.id })),
  'unblockUser (the target)': accountCall('unblockUser', () => ({ user_id: people.target.user.id })),
  getBlockedUsers: accountCall('getBlockedUsers', () => ({})),
  getPrivacy: accountCall('getPrivacy', () => ({ key: 'last_seen' })),
  // The bio rule, which no other row depends on (last seen and group invites stay as the other rows need them).
  'setPrivacy (own bio rule)': accountCall('setPrivacy', () => ({ key: 'bio', rule: { value: 'contacts', allow_user_ids: [], disallow_user_ids: [] } })),
  resolveUsername: accountCall('resolveUsername', () => ({ username: people.owner.username })),
  // One's own photos only (no id aims at another's; another's photo ids delete nothing: profile-photos.test.ts).
  'setProfilePhoto (own upload)': accountCall('setProfilePhoto', (a) => ({ file_id: photos.get(a.account.user.id)?.[0]?.id ?? '0'.repeat(32) })),
  'deleteProfilePhotos (own, unknown ids)': accountCall('deleteProfilePhotos', () => ({ ids: [999_999_999] })),
  "getUserPhotos (the owner's)": accountCall('getUserPhotos', () => ({ user_id: people.owner.user.id })),
  "getUserPhotoUrl (the owner's current)": {
    needsGroup: true,
    async build() {
      await ownerProfilePhoto();
      return { method: 'POST', path: '/v1/call/getUserPhotoUrl', body: { user_id: people.owner.user.id } };
    },
    result: methods.getUserPhotoUrl.result,
  },
  // A message request is the caller's own mailbox's: a chat id that is none changes nothing for anyone.
  'acceptMessageRequest (a group: none)': {
    needsGroup: true,
    build: (g) => ({ method: 'POST', path: '/v1/call/acceptMessageRequest', body: { chat_id: g.chatId } }),
    result: methods.acceptMessageRequest.result,
  },
  // Only the caller's own profile can be changed (no id to aim at another's): the name stays, so other rows still resolve.
  'updateProfile (own profile)': accountCall('updateProfile', (a) => ({ about: `matrix ${a.column}` })),
  // Account security acts on the caller's own account only (there is no id to aim at another's).
  // The cast keeps its password and sessions, and ends each row without a second factor.
  'changePassword (own, to the same one)': accountCall('changePassword', (a) => ({
    current_password: a.account.password,
    new_password: a.account.password,
    keep_other_sessions: true,
  })),
  getTwoFactorStatus: accountCall('getTwoFactorStatus', () => ({})),
  'enableTwoFactor (own)': accountCall('enableTwoFactor', (a) => ({ password: a.account.password })),
  'confirmTwoFactor (own setup)': {
    needsGroup: true,
    async build(_, a) {
      const code = hasSession(a) ? await startTwoFactor(a.account) : '123456';
      return { method: 'POST', path: '/v1/call/confirmTwoFactor', body: { code } };
    },
    result: methods.confirmTwoFactor.result,
    async after(a, result) {
      const { recovery_codes } = result as { recovery_codes: string[] };
      await callOk(a.account, 'disableTwoFactor', { password: a.account.password, code: recovery_codes[0] });
    },
  },
  'disableTwoFactor (own)': {
    needsGroup: true,
    async build(_, a) {
      let code = '123456';
      if (hasSession(a)) {
        const totp = await startTwoFactor(a.account);
        code = (await callOk(a.account, 'confirmTwoFactor', { code: totp })).recovery_codes[0]!;
      }
      return { method: 'POST', path: '/v1/call/disableTwoFactor', body: { password: a.account.password, code } };
    },
    result: methods.disableTwoFactor.result,
  },
  // One's own account only (no id to aim at another's); the schedule is undone so the cast stays.
  'deleteAccount (own, then cancelled)': {
    ...accountCall('deleteAccount', (a) => ({ password: a.account.password })),
    after: async (a) => void (await callOk(a.account, 'cancelAccountDeletion', {})),
  },
  cancelAccountDeletion: accountCall('cancelAccountDeletion', () => ({})),
  getAccountDeletion: accountCall('getAccountDeletion', () => ({})),
  // One's own export only; the row goes afterwards, so the once-a-day limit does not meet the next cell of the cast.
  'requestDataExport (own)': {
    ...accountCall('requestDataExport', () => ({})),
    after: async (a) => void (await env.DB.prepare('DELETE FROM data_exports WHERE account_id = ?').bind(a.account.user.id).run()),
  },
  getDataExport: accountCall('getDataExport', () => ({})),
  // A report reads its target as the reporter first: members only, the rest learn nothing.
  "reportMessages (the owner's message)": chatCall('reportMessages', (g, _, chat_id) => ({ chat_id, message_ids: [g.messageOf.owner], reason: 'spam' })),
  'reportChat (the group)': chatCall('reportChat', (_, __, chat_id) => ({ chat_id, reason: 'other', comment: 'matrix' })),
  'reportUser (the target)': accountCall('reportUser', () => ({ user_id: people.target.user.id, reason: 'fake' })),
  'GET /v1/auth/me': route('GET', '/v1/auth/me', MeResult),
  'POST /v1/auth/logout (own session)': { needsGroup: false, build: () => ({ method: 'POST', path: '/v1/auth/logout' }), result: OkResult },
  'GET /v1/sessions': route('GET', '/v1/sessions', SessionList),
  getPasskeys: accountCall('getPasskeys', () => ({})),
  // Each passkey is its owner's: the owner removes a fresh one of its own, anyone else aims at the owner's and finds none.
  "deletePasskey (the owner's)": {
    needsGroup: false,
    async build(_, a) {
      const passkey = a.column === 'owner' && hasSession(a) ? await addPasskey(people.owner) : await ownersPasskey();
      return { method: 'POST', path: '/v1/call/deletePasskey', body: { id: passkey.id } };
    },
    result: methods.deletePasskey.result,
  },
  // A signed-out device's token: any signed-in account may check or approve it (that is what QR login is).
  "checkLoginToken (a waiting device's)": qrCall('checkLoginToken'),
  "acceptLoginToken (a waiting device's)": qrCall('acceptLoginToken'),
  'POST /v1/auth/passkeys/register/options': route('POST', '/v1/auth/passkeys/register/options', PasskeyRegistrationOptionsResult),
  "DELETE /v1/sessions/:id (owner's other one)": {
    needsGroup: false,
    async build() {
      const phone = await login(people.owner, { deviceName: 'Target phone' });
      return { method: 'DELETE', path: `/v1/sessions/${phone.session.id}`, nowhere: { path: `/v1/sessions/${'0'.repeat(32)}` } };
    },
    result: OkResult,
  },
  'POST /v1/sessions/terminate-others': route('POST', '/v1/sessions/terminate-others', TerminateOthersResult),
  'POST /v1/connect/ticket': route('POST', '/v1/connect/ticket', ConnectTicket),
  createBot: accountCall('createBot', (a) => ({ username: `m${a.column.slice(0, 4)}_${crypto.randomUUID().slice(0, 8)}_bot`, display_name: 'Matrix bot' })),
  listMyBots: accountCall('listMyBots', () => ({})),
  "renameBot (the owner's bot)": botCall('renameBot', (bot_id) => ({ bot_id, display_name: 'Renamed' })),
  "revokeBotToken (the owner's bot)": botCall('revokeBotToken', (bot_id) => ({ bot_id })),
  "setBotPrivacy (the owner's bot)": botCall('setBotPrivacy', (bot_id) => ({ bot_id, enabled: false })),
  "deleteBot (the owner's bot)": botCall('deleteBot', (bot_id) => ({ bot_id })),
  // A bot's menu is public, like its profile: everyone signed in may read it.
  'getBotCommands (any bot)': botCall('getBotCommands', (bot_id) => ({ bot_id })),
  "pressCallbackButton (the group bot's button)": {
    ...chatCall('pressCallbackButton', (g, _, chat_id) => ({ chat_id, message_id: g.button, data: 'go' })),
    // The press waits (up to 15 s) for the bot's answer: the bot answers, as a live bot would.
    during: (g, a) => answerOneCallback(groupBot, g.chatId, a.account.user.id),
  },
  'POST /v1/uploads': { needsGroup: false, build: () => ({ method: 'POST', path: '/v1/uploads', body: { size: 16 } }), result: UploadInfo },
  "GET /v1/uploads/:id (the owner's upload)": uploadRoute('GET', (id) => `/v1/uploads/${id}`, { result: UploadStatus }),
  "PUT /v1/uploads/:id (the owner's upload)": uploadRoute('PUT', (id) => `/v1/uploads/${id}`, { body: 'x'.repeat(16), result: UploadPartResult }),
  "PUT /v1/uploads/:id/parts/:n (the owner's)": uploadRoute('PUT', (id) => `/v1/uploads/${id}/parts/2`, {
    size: PART + 16,
    body: 'x'.repeat(16),
    result: UploadPartResult,
  }),
  "POST /v1/uploads/:id/complete (the owner's)": uploadRoute('POST', (id) => `/v1/uploads/${id}/complete`, { bodySent: true, result: FileInfo }),
  "DELETE /v1/uploads/:id (the owner's upload)": uploadRoute('DELETE', (id) => `/v1/uploads/${id}`, { result: OkResult }),
  'GET /v1/files/:file_id (a signed link)': {
    needsGroup: false,
    async build() {
      const g = await groupFor('GET /v1/files/:file_id (a signed link)', 'N');
      const link = await callOk(people.owner, 'getFileUrl', { chat_id: g.chatId, message_id: g.photo });
      return { method: 'GET', path: link.url };
    },
  },
  'GET /v1/openapi.json': { needsGroup: false, build: () => ({ method: 'GET', path: '/v1/openapi.json' }) },
};

/** An account call on a bot: the owner's, a fresh one for an allowed (changing) call, a shared one for refusals. */
function botCall(method: MethodName, params: (botId: number) => Record<string, unknown>): Row {
  return {
    needsGroup: false,
    async build(_, a) {
      const bot = a.column === 'owner' ? await newBot(people.owner) : await sharedBot(method);
      return { method: 'POST', path: `/v1/call/${method}`, body: params(bot.id), nowhere: { path: `/v1/call/${method}`, body: params(NO_SUCH_CHAT) } };
    },
    result: methods[method].result,
  };
}
const sharedBots = new Map<string, Promise<TestBot>>();
function sharedBot(row: string): Promise<TestBot> {
  if (!sharedBots.has(row)) sharedBots.set(row, newBot(people.owner));
  return sharedBots.get(row)!;
}

/**
 * An upload route on one of the owner's uploads: a fresh upload for the
 * owner's (allowed, changing) call, a shared one for the refusals; `nowhere`
 * is the same route on an upload id that does not exist.
 */
function uploadRoute(
  method: string,
  path: (uploadId: string) => string,
  options: { size?: number; body?: string; bodySent?: boolean; result: z.ZodType },
): Row {
  const make = async () => {
    const info = await createUpload(people.owner, options.size ?? 16);
    if (options.bodySent) expect((await api(`/v1/uploads/${info.upload_id}`, { method: 'PUT', body: 'y'.repeat(16), token: people.owner.token })).status).toBe(200);
    return info;
  };
  const shared = new Map<string, Promise<UploadInfo>>();
  return {
    needsGroup: false,
    async build(_, a) {
      if (!shared.has('refusals')) shared.set('refusals', make());
      const info = a.column === 'owner' ? await make() : await shared.get('refusals')!;
      return {
        method,
        path: path(info.upload_id),
        ...(options.body === undefined ? {} : { body: options.body }),
        nowhere: { path: path('0'.repeat(32)), ...(options.body === undefined ? {} : { body: options.body }) },
      };
    },
    result: options.result,
  };
}

/** Reads the bot's updates until the press from `presserId` in the chat arrives, and answers it. */
async function answerOneCallback(bot: TestBot, chatId: number, presserId: number): Promise<void> {
  const deadline = Date.now() + 10_000;
  let offset: number | undefined;
  type Update = { update_id: number; callback_query?: { id: string; from: { id: number }; message?: { chat: { id: number } } } };
  while (Date.now() < deadline) {
    const list = await botOk<Update[]>(bot.token, 'getUpdates', { timeout: 0, ...(offset ? { offset } : {}) });
    for (const update of list) {
      offset = update.update_id + 1;
      const query = update.callback_query;
      if (query && query.from.id === presserId && query.message?.chat.id === -chatId) {
        await botOk(bot.token, 'answerCallbackQuery', { callback_query_id: query.id, text: 'pressed' });
        return;
      }
    }
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Whether the cell's caller is the account itself, signed in (not a bot's token, none, or an ended one). */
const hasSession = (a: Actor) => a.token !== undefined && a.token === a.account.token;

let sharedPasskey: Promise<SoftPasskey> | undefined;
/** The owner's passkey that the other columns try to remove (registered once). */
function ownersPasskey(): Promise<SoftPasskey> {
  sharedPasskey ??= addPasskey(people.owner, 'Matrix key');
  return sharedPasskey;
}

function qrCall(method: 'checkLoginToken' | 'acceptLoginToken'): Row {
  return {
    needsGroup: false,
    async build() {
      const { token } = await newQrToken();
      return { method: 'POST', path: `/v1/call/${method}`, body: { token } };
    },
    result: methods[method].result,
  };
}

/** Starts a two-step verification setup for the account; returns the code the authenticator app shows now. */
async function startTwoFactor(account: Account): Promise<string> {
  const { secret } = await callOk(account, 'enableTwoFactor', { password: account.password });
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: Date.now() });
}

/** Logout ends the session it is called with: those cells sign in afresh so the cast keeps its sessions. */
const spendsItsSession = new Set(['POST /v1/auth/logout (own session)']);

// ---- running a cell ----

function cellsOf(row: string): Record<Column, Cell> {
  const cells = MATRIX[row]!.trim().split(/\s+/) as Cell[];
  if (cells.length !== COLUMNS.length) throw new Error(`row ${row} has ${cells.length} cells`);
  return Object.fromEntries(COLUMNS.map((c, i) => [c, cells[i]!])) as Record<Column, Cell>;
}

const MEANING: Record<Cell, string> = {
  A: 'allowed',
  B: 'refused with 400 as not fitting the chat, changing nothing',
  F: 'refused with 403, changing nothing',
  N: 'refused with 404 exactly as for a missing chat, changing nothing',
  U: 'refused with 401, changing nothing',
  '-': 'pending',
};

async function actorFor(column: Column, row: string): Promise<Actor> {
  if (column === 'anonymous') return { column, account: people.owner, token: undefined };
  if (column === 'terminated') return { column, account: people.owner, token: terminatedToken };
  // The bot's requests are built from its owner's things (photos); the bearer is the bot's token.
  if (column === 'bot') return { column, account: people.outsider, token: strangerBot.token };
  const account = people[column];
  const token = spendsItsSession.has(row) ? (await login(account, { deviceName: 'Spare' })).token : account.token;
  return { column, account, token };
}

function send(request: { method: string; path: string; body?: unknown }, token: string | undefined) {
  return api(request.path, { method: request.method, ...(request.body === undefined ? {} : { body: request.body }), ...(token ? { token } : {}) });
}

async function ptsOf(account: Account): Promise<number> {
  const outcome = await mailbox(env, account.user.id).getState(account.user.id);
  if (!outcome.ok) throw new Error(outcome.error.message);
  return outcome.value.pts;
}

async function chatSeq(chatId: number): Promise<number> {
  return runInDurableObject(chatRoomStub(env, chatId), (_, s) => s.storage.sql.exec<{ n: number }>('SELECT next_event_seq AS n FROM chat').one().n);
}

/** Whether any part of a value is about this chat (a `chat_id` field or a `chat` object with its id). */
function mentionsChat(value: unknown, chatId: number): boolean {
  if (Array.isArray(value)) return value.some((v) => mentionsChat(v, chatId));
  if (typeof value !== 'object' || value === null) return false;
  const record = value as Record<string, unknown>;
  if (record.chat_id === chatId || (record.chat as { id?: unknown } | undefined)?.id === chatId) return true;
  return Object.values(record).some((v) => mentionsChat(v, chatId));
}

/**
 * Reads what the socket got until a pong. The runtime answers the ping
 * itself, so the pong follows every frame already sent, not calls still running.
 */
async function drain(socket: TestSocket): Promise<Record<string, unknown>[]> {
  socket.ws.send(PING_FRAME);
  const frames: Record<string, unknown>[] = [];
  for (;;) {
    const frame = await socket.next();
    if (frame.t === 'pong') return frames;
    frames.push(frame);
  }
}

const expectedStatus: Record<Exclude<Cell, 'A' | '-'>, number> = { B: 400, F: 403, N: 404, U: 401 };
const expectedCodes: Record<Exclude<Cell, 'A' | '-'>, string[]> = {
  B: [ErrorCode.BAD_REQUEST, ErrorCode.CHAT_NOT_FORUM],
  F: [ErrorCode.FORBIDDEN, ErrorCode.MESSAGE_NOT_MODIFIABLE],
  N: [ErrorCode.NOT_FOUND, ErrorCode.UPLOAD_NOT_FOUND],
  U: [ErrorCode.UNAUTHORIZED],
};

async function runCell(rowName: string, column: Column, cell: Exclude<Cell, '-'>): Promise<void> {
  const row = ROWS[rowName]!;
  const group = row.needsGroup ? await groupFor(rowName, cell) : undefined;
  const actor = await actorFor(column, rowName);
  const request = await row.build(group!, actor);

  if (cell === 'A') {
    const [res] = await Promise.all([send(request, actor.token), row.during?.(group!, actor)]);
    const text = await res.text();
    expect(res.status, text).toBeLessThan(300);
    if (row.result) expect(row.result.safeParse(JSON.parse(text)).success, `result off the schema: ${text}`).toBe(true);
    await row.after?.(actor, JSON.parse(text));
    if (!row.result) return;
    // What an outsider may call (their own state, dialogs, users) says nothing about the chat.
    if (group && column === 'outsider' && !row.joins) expect(mentionsChat(JSON.parse(text), group.chatId), text).toBe(false);
    return;
  }

  // A refusal: the same answer over HTTP and over the socket, nothing learned, nothing changed.
  const signedIn = cell !== 'U' && column !== 'bot';
  const socket = signedIn ? await connect(actor.token!) : undefined;
  const before = {
    caller: await ptsOf(actor.account),
    owner: await ptsOf(people.owner),
    chat: group ? await chatSeq(group.chatId) : undefined,
  };

  const res = await send(request, actor.token);
  const text = await res.text();
  expect(res.status, text).toBe(expectedStatus[cell]);
  const { error } = JSON.parse(text) as { error: { code: string; message: string } };
  expect(expectedCodes[cell]).toContain(error.code);
  if (cell === 'N' && request.nowhere) {
    const nowhere = await send({ method: request.method, ...request.nowhere }, actor.token);
    expect(nowhere.status).toBe(404);
    expect(text, 'a refusal that tells an existing chat from a missing one').toBe(await nowhere.text());
  }

  const seen: Record<string, unknown>[] = [];
  if (socket && request.path.startsWith('/v1/call/')) {
    socket.send({ t: 'call', id: 'denied', method: request.path.slice('/v1/call/'.length), params: request.body });
    for (let frame = await socket.next(); ; frame = await socket.next()) {
      if (frame.id === 'denied') {
        expect(frame).toEqual({ t: 'error', id: 'denied', error });
        break;
      }
      seen.push(frame);
    }
  }
  if (group) await delivered(group.chatId);
  if (socket) {
    // Delivery has finished, so any frame it pushed is already ahead of the pong.
    seen.push(...(await drain(socket)));
    expect(seen.filter((f) => group && mentionsChat(f, group.chatId)), 'frames about the chat').toEqual([]);
    socket.ws.close(1000);
    const difference = await callOk(actor.account, 'getDifference', { pts: before.caller });
    expect(difference.kind, JSON.stringify(difference)).toBe('empty');
  }
  expect(await ptsOf(people.owner), "the owner's pts moved").toBe(before.owner);
  if (group) expect(await chatSeq(group.chatId), 'the chat wrote an event').toBe(before.chat);
}

// ---- the matrix ----

describe('authorization matrix', () => {
  it('has a row for every account method and a cell for every caller', () => {
    const rowMethods = new Set(Object.keys(MATRIX).map((r) => r.split(' ')[0]!));
    for (const name of methodNames) expect(rowMethods.has(name), `no row for ${name}`).toBe(true);
    for (const row of Object.keys(MATRIX)) {
      const cells = Object.values(cellsOf(row));
      if (pending.has(row)) expect(cells.every((c) => c === '-'), row).toBe(true);
      else expect(ROWS[row], `no request for ${row}`).toBeDefined();
      // Without a session (a bot token is none), nothing is allowed but the public routes.
      const sessionless = [cells[7], cells[8], cells[9]];
      if (!pending.has(row)) expect(sessionless, row).toEqual(PUBLIC.has(row) ? ['A', 'A', 'A'] : ['U', 'U', 'U']);
    }
  });

  describe.each(Object.keys(MATRIX).filter((r) => !pending.has(r)))('%s', (rowName) => {
    const cells = cellsOf(rowName);
    const columns = cellsToRun(rowName, cells, SIZE, SEED);
    it.each(columns.map((column) => [column, MEANING[cells[column]], cells[column]] as const))(
      'by %s: %s',
      { timeout: 30_000 },
      async (column, _, cell) => {
        if (cell !== '-') await runCell(rowName, column, cell);
      },
    );
  });

});
