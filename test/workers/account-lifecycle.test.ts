/**
 * The account's lifecycle, in one file (one workerd start):
 * - deleting one's account: scheduled with the password (and second factor),
 *   cancelled by a sign-in or on request, carried out by the mailbox's alarm
 *   job (fired here with runDurableObjectAlarm after moving the due time into
 *   the past); what peers see afterwards, the freed username and files;
 * - reports and the operator's read;
 * - data export: built by the mailbox's alarm job (fired until done), its
 *   progress, the zip's contents (unzipped here: the messages the account
 *   can see and only those), the signed link, expired and tampered links.
 * The step machine's resumption and the streamed zip are unit-tested in
 * test/unit/account-lifecycle/.
 */
import { env, runDurableObjectAlarm, SELF } from 'cloudflare:test';
import { strFromU8, unzipSync } from 'fflate';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it, vi } from 'vitest';
import { fileReaper, mailbox } from '../../durable-objects/stubs.js';
import type { DataExport } from '../../protocol/account-lifecycle.js';
import type { Message } from '../../protocol/messages.js';
import { DEFAULT_DELETION_GRACE_MS } from '../../services/account-lifecycle/deletion.js';
import { signExportUrl } from '../../services/account-lifecycle/export-links.js';
import { api, BASE, login, signup, type Account } from './helpers.js';
import { addPasskey, passkeySignIn } from './passkey-helpers.js';
import { call, callError, drained, fileRow, jpeg, pastInFlight, upload } from './media-helpers.js';

vi.setConfig({ testTimeout: 60_000 });

/** Moves the account's deletion into the past and fires its mailbox's alarm, as the runtime would at the due time. */
async function runDeletionNow(account: Account): Promise<void> {
  await env.DB.prepare('UPDATE account_deletions SET due_at = ? WHERE account_id = ?').bind(Date.now() - 1, account.user.id).run();
  await runDurableObjectAlarm(mailbox(env, account.user.id));
}

async function deletionRow(accountId: number) {
  return env.DB.prepare('SELECT * FROM account_deletions WHERE account_id = ?').bind(accountId).first<{ state: string; step: string | null }>();
}

function appCode(secret: string, steps = 0): string {
  return TOTP.generate({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30, timestamp: Date.now() + steps * 30_000 });
}

describe('scheduling a deletion', () => {
  it('schedules it after the grace period with the password; a wrong one changes nothing', async () => {
    const alice = await signup();
    expect(await callError(alice, 'deleteAccount', { password: 'not the password' })).toBe('INVALID_CREDENTIALS');
    expect((await call(alice, 'getAccountDeletion', {})).deletion).toEqual({ state: 'none' });
    const before = Date.now();
    const { deletion } = await call(alice, 'deleteAccount', { password: alice.password });
    expect(deletion.state).toBe('scheduled');
    expect(deletion.due_at! - deletion.requested_at!).toBe(DEFAULT_DELETION_GRACE_MS);
    expect(deletion.requested_at!).toBeGreaterThanOrEqual(before);
    expect((await call(alice, 'getAccountDeletion', {})).deletion).toEqual(deletion);
    // Asking again keeps the first schedule.
    expect((await call(alice, 'deleteAccount', { password: alice.password })).deletion).toEqual(deletion);
  });

  it('a sign-in during the grace period cancels it, and the owner can read that', async () => {
    const alice = await signup();
    await call(alice, 'deleteAccount', { password: alice.password });
    const again = await login(alice);
    const { deletion } = await call(again, 'getAccountDeletion', {});
    expect(deletion).toMatchObject({ state: 'cancelled', cancelled_by: 'sign_in' });
    // The alarm finds nothing to do.
    await runDeletionNow(alice);
    expect((await deletionRow(alice.user.id))?.state).toBe('cancelled');
    expect((await call(again, 'getUsers', { ids: [alice.user.id] })).users[0]?.deleted).toBeUndefined();
  });

  it('cancelAccountDeletion stops it; deleting again schedules anew', async () => {
    const alice = await signup();
    await call(alice, 'deleteAccount', { password: alice.password });
    expect((await call(alice, 'cancelAccountDeletion', {})).deletion).toMatchObject({ state: 'cancelled', cancelled_by: 'request' });
    expect((await call(alice, 'deleteAccount', { password: alice.password })).deletion.state).toBe('scheduled');
  });

  it('with two-step verification on, needs a right, unused code: wrong, missing or reused codes change nothing', async () => {
    const alice = await signup();
    const { secret } = await call(alice, 'enableTwoFactor', { password: alice.password });
    const { recovery_codes } = await call(alice, 'confirmTwoFactor', { code: appCode(secret, -1) });
    expect(await callError(alice, 'deleteAccount', { password: alice.password })).toBe('INVALID_CREDENTIALS');
    expect(await callError(alice, 'deleteAccount', { password: alice.password, code: '000000' === appCode(secret) ? '111111' : '000000' })).toBe(
      'INVALID_CREDENTIALS',
    );
    expect(await callError(alice, 'deleteAccount', { password: 'wrong password', code: recovery_codes[0]! })).toBe('INVALID_CREDENTIALS');
    // Spent on a cancelled deletion, a recovery code does not work twice.
    await call(alice, 'deleteAccount', { password: alice.password, code: recovery_codes[0]! });
    await call(alice, 'cancelAccountDeletion', {});
    expect(await callError(alice, 'deleteAccount', { password: alice.password, code: recovery_codes[0]! })).toBe('INVALID_CREDENTIALS');
    expect((await call(alice, 'getAccountDeletion', {})).deletion.state).toBe('cancelled');
  });
});

describe('the deletion job', () => {
  it('signs out, leaves groups (ownership passes on), tombstones the account, frees its username and unshared files', async () => {
    const [alice, bob, carol] = [await signup(), await signup(), await signup()];
    const { chat: group } = await call(alice, 'createGroup', { title: 'Alice’s group', user_ids: [bob.user.id, carol.user.id] });
    const hello = await call(alice, 'sendMessage', { peer: { user_id: bob.user.id }, random_id: 'hello', text: 'hello bob' });
    const shared = await upload(alice, jpeg(5_000, 91));
    const unsent = await upload(alice, jpeg(5_000, 92));
    await call(alice, 'sendMedia', { peer: { user_id: bob.user.id }, random_id: 'photo', media: { kind: 'photo', file_id: shared.id } });
    await drained(hello.message.chat_id);
    const passkey = await addPasskey(alice);

    await call(alice, 'deleteAccount', { password: alice.password });
    await runDeletionNow(alice);
    expect((await deletionRow(alice.user.id))?.state).toBe('done');

    // Signed out, and nobody can sign in.
    expect((await api('/v1/call/getState', { body: {}, token: alice.token })).status).toBe(401);
    expect((await api('/v1/auth/login', { body: { username: alice.username, password: alice.password, device: { name: 'x', platform: 'web' } } })).status).toBe(401);
    expect((await passkeySignIn(passkey)).status).toBeGreaterThanOrEqual(400);

    // Left the group as a normal leave: the creator's role passed to the longest-standing member.
    await drained(group.id);
    const { chat, members } = await call(bob, 'getChat', { chat_id: group.id });
    expect(chat.member_ids).not.toContain(alice.user.id);
    expect(members.find((m) => m.user_id === bob.user.id)?.role).toBe('creator');

    // The private chat stays; its peer sees a Deleted Account.
    const { users } = await call(bob, 'getUsers', { ids: [alice.user.id] });
    expect(users[0]).toEqual({ id: alice.user.id, username: '', display_name: '', is_bot: false, deleted: true });
    const history = await call(bob, 'getHistory', { chat_id: hello.message.chat_id });
    expect(history.messages.some((m) => m.text === 'hello bob')).toBe(true);
    // A deleted account takes no more messages.
    expect(await callError(bob, 'sendMessage', { peer: { user_id: alice.user.id }, random_id: 'after', text: 'are you there?' })).toBe('USER_BLOCKED');

    // The username is free for someone else.
    const newcomer = await signup({ username: alice.username });
    expect(newcomer.user.username).toBe(alice.username);

    // The file a message shows stays; the one never sent is freed by its reaper.
    await pastInFlight(shared.id, unsent.id);
    await runDurableObjectAlarm(fileReaper(env, unsent.id));
    await runDurableObjectAlarm(fileReaper(env, shared.id));
    expect(await fileRow(unsent.id)).toBeNull();
    expect(await fileRow(shared.id)).not.toBeNull();

    // Running the job again changes nothing.
    await runDurableObjectAlarm(mailbox(env, alice.user.id));
    expect((await deletionRow(alice.user.id))?.state).toBe('done');
  });

  it('an interrupted run resumes at its recorded step, not from the start', async () => {
    const alice = await signup();
    await call(alice, 'deleteAccount', { password: alice.password });
    // As if a run had done sessions, chats and private chats, recorded it, and then died.
    await env.DB.prepare("UPDATE account_deletions SET state = 'running', step = 'files', cursor = NULL WHERE account_id = ?").bind(alice.user.id).run();
    await runDurableObjectAlarm(mailbox(env, alice.user.id));
    expect((await deletionRow(alice.user.id))?.state).toBe('done');
    const row = await env.DB.prepare('SELECT deleted_at, password_hash FROM accounts WHERE id = ?').bind(alice.user.id).first<{ deleted_at: number | null; password_hash: string | null }>();
    expect(row?.deleted_at).not.toBeNull();
    expect(row?.password_hash).toBeNull();
    // The sessions step was not run again: the recorded progress said it was done.
    expect((await env.DB.prepare('SELECT count(*) AS n FROM sessions WHERE account_id = ?').bind(alice.user.id).first<{ n: number }>())?.n).toBe(1);
  });

  it('a running deletion cannot be cancelled', async () => {
    const alice = await signup();
    await call(alice, 'deleteAccount', { password: alice.password });
    await env.DB.prepare("UPDATE account_deletions SET state = 'running' WHERE account_id = ?").bind(alice.user.id).run();
    expect(await callError(alice, 'cancelAccountDeletion', {})).toBe('CONFLICT');
  });
});

describe('reports', () => {
  const operator = (query = '', token: string | null = 'test-operator-token') =>
    api(`/operator/reports${query}`, { method: 'GET', ...(token ? { headers: { authorization: `Bearer ${token}` } } : {}) });

  it('stores a report of what the reporter sees, with a snapshot, counted once per reporter and target', async () => {
    const [alice, bob] = [await signup(), await signup()];
    const { message } = await call(bob, 'sendMessage', { peer: { user_id: alice.user.id }, random_id: 'spam', text: 'buy cheap watches' });
    const first = await call(alice, 'reportMessages', { chat_id: message.chat_id, message_ids: [message.id], reason: 'spam', comment: 'again' });
    expect(first).toEqual({ ok: true, added: 1 });
    expect(await call(alice, 'reportMessages', { chat_id: message.chat_id, message_ids: [message.id], reason: 'spam' })).toEqual({ ok: true, added: 0 });
    expect((await call(alice, 'reportUser', { user_id: bob.user.id, reason: 'fake' })).added).toBe(1);

    const res = await operator(`?after_id=0&limit=500`);
    expect(res.status).toBe(200);
    const { reports } = (await res.json()) as { reports: Array<{ reporter_id: number; target: Record<string, unknown>; reason: string; snapshot: string; comment: string | null; status: string }> };
    const mine = reports.filter((r) => r.reporter_id === alice.user.id);
    expect(mine).toHaveLength(2);
    expect(mine[0]).toMatchObject({
      target: { kind: 'message', chat_id: message.chat_id, message_id: message.id, user_id: bob.user.id },
      reason: 'spam',
      comment: 'again',
      snapshot: 'buy cheap watches',
      status: 'open',
    });
  });

  it('refuses what the reporter cannot see, storing nothing', async () => {
    const [alice, bob, eve] = [await signup(), await signup(), await signup()];
    const { message } = await call(bob, 'sendMessage', { peer: { user_id: alice.user.id }, random_id: 'private', text: 'between us' });
    const { chat: group } = await call(alice, 'createGroup', { title: 'Closed', user_ids: [bob.user.id] });
    expect(await callError(eve, 'reportMessages', { chat_id: message.chat_id, message_ids: [message.id], reason: 'spam' })).toBe('NOT_FOUND');
    expect(await callError(eve, 'reportChat', { chat_id: group.id, reason: 'other' })).toBe('NOT_FOUND');
    expect(await callError(alice, 'reportMessages', { chat_id: message.chat_id, message_ids: [999_999], reason: 'spam' })).toBe('NOT_FOUND');
    expect(await callError(alice, 'reportUser', { user_id: 2_000_000_000, reason: 'spam' })).toBe('NOT_FOUND');
    expect(await callError(alice, 'reportChat', { chat_id: group.id, reason: 'not a reason' })).toBe('BAD_REQUEST');
    const n = await env.DB.prepare('SELECT count(*) AS n FROM reports WHERE reporter_id IN (?, ?)').bind(eve.user.id, alice.user.id).first<{ n: number }>();
    expect(n?.n).toBe(0);
  });

  it('the operator route needs the operator token', async () => {
    expect((await operator('', null)).status).toBe(401);
    expect((await operator('', 'wrong-token')).status).toBe(401);
    expect((await operator('?limit=0')).status).toBe(400);
    expect((await operator()).status).toBe(200);
  });
});

/** Runs the account's alarm until its export is no longer running (each run does a bounded number of pages). */
async function buildExport(account: Account): Promise<DataExport> {
  for (let i = 0; i < 20; i++) {
    await runDurableObjectAlarm(mailbox(env, account.user.id));
    const { export: state } = await call(account, 'getDataExport', {});
    if (state.state !== 'running') return state;
  }
  throw new Error('the export did not finish');
}

const get = (url: string) => SELF.fetch(new URL(url, BASE).toString());

async function errorOf(res: Response): Promise<string> {
  return ((await res.json()) as { error: { code: string } }).error.code;
}

describe('data export', () => {
  it('builds a zip of the chats the account sees, its contacts and media, behind a signed expiring link', async () => {
    const [ann, ben, cat] = [await signup(), await signup(), await signup()];
    await call(ann, 'addContact', { user_id: ben.user.id, first_name: 'Benjamin' });
    const hello = await call(ann, 'sendMessage', { peer: { user_id: ben.user.id }, random_id: 'h', text: 'hello ben' });
    const photo = await upload(ben, jpeg(3_000, 77));
    await call(ben, 'sendMedia', { peer: { user_id: ann.user.id }, random_id: 'p', media: { kind: 'photo', file_id: photo.id } });
    const { chat: group } = await call(ann, 'createGroup', { title: 'Book club', user_ids: [ben.user.id, cat.user.id] });
    for (let i = 0; i < 3; i++) await call(cat, 'sendMessage', { peer: { chat_id: group.id }, random_id: `g${i}`, text: `group message ${i}` });
    // Deleted for Ann only: not hers to see any more, so not in her export.
    const hidden = await call(cat, 'sendMessage', { peer: { chat_id: group.id }, random_id: 'hidden', text: 'deleted for ann' });
    await call(ann, 'deleteMessages', { chat_id: group.id, ids: [hidden.message.id], for_everyone: false });
    // A chat Ann is not in.
    await call(ben, 'sendMessage', { peer: { user_id: cat.user.id }, random_id: 'secret', text: 'ben to cat only' });
    await drained(hello.message.chat_id);
    await drained(group.id);

    expect((await call(ann, 'getDataExport', {})).export).toEqual({ state: 'none' });
    const started = (await call(ann, 'requestDataExport', {})).export;
    expect(started.state).toBe('running');
    expect(started.progress).toMatchObject({ chats_done: 0, fraction: 0 });
    // One at a time.
    expect(await callError(ann, 'requestDataExport', {})).toBe('CONFLICT');

    const done = await buildExport(ann);
    expect(done).toMatchObject({ state: 'done', progress: { chats_done: 2, chats_total: 2, fraction: 1 } });
    expect(done.progress!.messages).toBe(5); // hello, the photo, three group messages (not the one deleted for her)
    expect(done.url).toMatch(/^\/v1\/exports\/[0-9a-f]{32}\?exp=\d+&sig=/);

    const res = await get(done.url!);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/zip');
    const files = unzipSync(new Uint8Array(await res.arrayBuffer()));
    const result = JSON.parse(strFromU8(files['result.json']!)) as {
      account: { id: number };
      contacts: Array<{ user_id: number; first_name: string }>;
      chats: Array<{ id: number; messages_file: string }>;
    };
    expect(result.account.id).toBe(ann.user.id);
    expect(result.contacts).toEqual([expect.objectContaining({ user_id: ben.user.id, first_name: 'Benjamin' })]);
    expect(result.chats.map((c) => c.id).sort()).toEqual([hello.message.chat_id, group.id].sort());
    const messagesOf = (chatId: number): Message[] =>
      strFromU8(files[result.chats.find((c) => c.id === chatId)!.messages_file]!)
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Message);
    const groupTexts = messagesOf(group.id).map((m) => m.text);
    expect(groupTexts).toEqual(expect.arrayContaining(['group message 0', 'group message 1', 'group message 2']));
    expect(groupTexts).not.toContain('deleted for ann');
    const privateMessages = messagesOf(hello.message.chat_id);
    expect(privateMessages.map((m) => m.text)).toContain('hello ben');
    expect(Object.values(files).some((bytes) => strFromU8(bytes).includes('ben to cat only'))).toBe(false);
    // The photo Ben sent her, byte for byte.
    const mediaName = Object.keys(files).find((name) => name.startsWith(`media/${photo.id}/`));
    expect(mediaName).toBeDefined();
    expect(files[mediaName!]).toEqual(jpeg(3_000, 77));

    // Another export the same day is refused; the link keeps working.
    expect(await callError(ann, 'requestDataExport', {})).toBe('RATE_LIMITED');

    // A tampered link (another id, expiry or signature) is refused, never the file.
    const url = new URL(done.url!, BASE);
    const exp = url.searchParams.get('exp')!;
    const tamperedExp = new URL(url);
    tamperedExp.searchParams.set('exp', String(Number(exp) + 3600));
    const tamperedSig = new URL(url);
    tamperedSig.searchParams.set('sig', `${url.searchParams.get('sig')!.slice(0, -2)}AA`);
    for (const bad of [tamperedExp, tamperedSig]) {
      const refused = await get(bad.pathname + bad.search);
      expect(refused.status).toBe(403);
      expect(await errorOf(refused)).toBe('EXPORT_LINK_INVALID');
    }
    // Ben's link to Ann's export id is no link at all.
    const otherId = await get(`/v1/exports/${'0'.repeat(32)}${url.search}`);
    expect(await errorOf(otherId)).toBe('EXPORT_LINK_INVALID');
    // A genuine link past its expiry: EXPORT_LINK_EXPIRED.
    const exportId = url.pathname.split('/').at(-1)!;
    const stale = await signExportUrl(env.DB, exportId, Date.now() - 1_000, Date.now());
    const expired = await get(stale);
    expect(expired.status).toBe(403);
    expect(await errorOf(expired)).toBe('EXPORT_LINK_EXPIRED');

    // Once the archive's time is over, the alarm deletes it and the state says so.
    await env.DB.prepare('UPDATE data_exports SET expires_at = ? WHERE account_id = ?').bind(Date.now() - 1, ann.user.id).run();
    await runDurableObjectAlarm(mailbox(env, ann.user.id));
    expect((await call(ann, 'getDataExport', {})).export.state).toBe('expired');
    expect(await env.MEDIA.head(`exports/${exportId}/archive.zip`)).toBeNull();
    expect(await errorOf(await get(done.url!))).toBe('EXPORT_LINK_EXPIRED');
  });
});
