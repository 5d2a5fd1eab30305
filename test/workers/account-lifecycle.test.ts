/**
 * Deleting one's account: scheduled with the password (and second factor),
 * cancelled by a sign-in or on request, carried out by the mailbox's alarm
 * job (fired here with runDurableObjectAlarm after moving the due time into
 * the past); what peers see afterwards, the freed username and files. The
 * step machine's resumption is unit-tested in test/unit/account-lifecycle/.
 */
import { env, runDurableObjectAlarm } from 'cloudflare:test';
import { Secret, TOTP } from 'otpauth';
import { describe, expect, it, vi } from 'vitest';
import { fileReaper, mailbox } from '../../durable-objects/stubs.js';
import { DEFAULT_DELETION_GRACE_MS } from '../../services/account-lifecycle/deletion.js';
import { api, login, signup, type Account } from './helpers.js';
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

    await call(alice, 'deleteAccount', { password: alice.password });
    await runDeletionNow(alice);
    expect((await deletionRow(alice.user.id))?.state).toBe('done');

    // Signed out, and nobody can sign in.
    expect((await api('/v1/call/getState', { body: {}, token: alice.token })).status).toBe(401);
    expect((await api('/v1/auth/login', { body: { username: alice.username, password: alice.password, device: { name: 'x', platform: 'web' } } })).status).toBe(401);

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
