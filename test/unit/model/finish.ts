import type { Message } from '../../../protocol/messages.js';
import type { UpdateEnvelope } from '../../../protocol/updates.js';
import type { ModelDevice } from './device.js';
import type { RpcOutcome } from './network.js';
import { ACCOUNTS, type World } from './world.js';

/** One macrotask: every promise continuation queued so far (and those they queue) has run. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The system is left to converge: every RPC in flight completes (the first
 * ones still as `lastFaults` says, then all ok), alarms fire only when one is
 * set, as on the platform, until every outbox is empty; then every device
 * syncs to the end. Returns what went wrong on the way: an outbox with rows
 * and no alarm set would strand those events forever.
 */
export async function quiesce(w: World, lastFaults: readonly RpcOutcome[]): Promise<string[]> {
  const problems: string[] = [];
  for (const store of w.network.mailboxStores.values()) store.failNextCommit = false;
  for (const room of w.rooms.values()) room.store.failNextCommit = false;
  for (const d of w.devices) d.dropNextPush = false;
  for (let round = 0; ; round++) {
    if (round > 500) throw new Error('delivery did not converge');
    await settle();
    if (w.network.complete(0, lastFaults[round] ?? 'ok')) continue;
    const pending = [...w.rooms.values()].filter((r) => r.pendingRows() > 0);
    if (pending.length === 0) break;
    for (const room of pending) {
      if (room.scheduled === null) {
        problems.push(`chat ${room.chatId}: ${room.pendingRows()} outbox rows and no alarm set`);
      }
      room.runAlarm(true);
    }
  }
  for (const room of w.rooms.values()) await room.idle();
  for (const d of w.devices) {
    if (d.online) d.sync();
    else d.connect();
  }
  for (let round = 0; w.devices.some((d) => !d.quiet); round++) {
    if (round > 100) throw new Error('devices did not settle');
    for (const d of w.devices) await d.pump();
    await settle();
  }
  return problems;
}

/** The chat as a device sees it after applying its updates: new messages, edits, deletions. */
export function deviceView(device: ModelDevice, chatId: number): Message[] {
  const view = new Map<number, Message>();
  for (const { update: u } of device.applied) {
    if (u.type === 'new_message' && u.message.chat_id === chatId) view.set(u.message.id, u.message);
    if (u.type === 'edit_message' && u.message.chat_id === chatId && view.has(u.message.id)) view.set(u.message.id, u.message);
    if (u.type === 'delete_messages' && u.chat_id === chatId) for (const id of u.ids) view.delete(id);
  }
  return [...view.values()].sort((a, b) => a.id - b.id);
}

function chatOf(e: UpdateEnvelope): number {
  const u = e.update;
  if (u.type === 'new_message' || u.type === 'edit_message') return u.message.chat_id;
  return u.type === 'chat' ? u.chat.id : u.chat_id;
}

/** Invariants beyond the history checker's; each returns a list of violations. */
export function extraViolations(w: World): string[] {
  const out: string[] = [];
  for (const d of w.devices) {
    const box = w.network.mailbox(d.userId);
    if (d.pts !== box.state().pts) out.push(`${d.deviceId}: pts ${d.pts}, mailbox ${box.state().pts}`);
    out.push(...d.errors.map((e) => `${d.deviceId}: ${e}`));
    // A member who left or was removed gets the news of it (the change's chat_member updates, in
    // a row: a creator's leaving also names the heir), then nothing more from that chat.
    const gone = new Set<number>();
    let inDeparture: number | undefined;
    for (const e of d.applied) {
      const chatId = chatOf(e);
      const u = e.update;
      const sameChange = inDeparture === chatId && u.type === 'chat_member';
      if (gone.has(chatId) && !sameChange) out.push(`${d.deviceId}: ${u.type} of chat ${chatId} after leaving it`);
      inDeparture = sameChange ? inDeparture : undefined;
      if (u.type === 'chat_member' && u.left && u.member.user_id === d.userId) {
        gone.add(chatId);
        inDeparture = chatId;
      }
    }
  }
  for (const [chatId, steady] of w.steadyMembers()) {
    const room = w.room(chatId);
    for (const userId of steady) {
      const history = w.history(chatId, userId);
      for (const d of w.devices.filter((x) => x.userId === userId)) {
        const view = deviceView(d, chatId);
        if (JSON.stringify(view) !== JSON.stringify(history)) {
          out.push(`${d.deviceId} chat ${chatId}: sees [${view.map((m) => m.id)}], getHistory has [${history.map((m) => m.id)}]`);
        }
      }
      const dialog = w.network.mailbox(userId).getDialog(chatId);
      const unread = room.logic.readHistory(userId, 0).still_unread_count;
      if (dialog?.unread_count !== unread) out.push(`user ${userId} chat ${chatId}: unread ${dialog?.unread_count}, chat says ${unread}`);
      if (JSON.stringify(dialog?.top_message ?? null) !== JSON.stringify(history.at(-1) ?? null)) {
        out.push(`user ${userId} chat ${chatId}: dialog top message differs from the last visible message`);
      }
    }
    // Everyone who was ever in the chat knows whether they still are.
    const memberIds = new Set(room.members().map((m) => m.user_id));
    for (const userId of w.everMembers.get(chatId)!) {
      const isMember = w.network.mailbox(userId).getDialog(chatId)?.is_member;
      if (isMember !== memberIds.has(userId)) out.push(`user ${userId} chat ${chatId}: dialog is_member ${isMember}`);
    }
    if (room.pendingRows() > 0) out.push(`chat ${chatId}: ${room.pendingRows()} outbox rows left`);
    out.push(...room.failures.map((err) => `chat ${chatId}: background work failed: ${String(err)}`));
    // The D1 index the outbox maintains mirrors the chat's members.
    const indexed = ACCOUNTS.flatMap((u) => {
      const role = w.network.index.get(`${chatId}:${u}`);
      return role ? [`${u}:${role}`] : [];
    });
    const members = room.members().map((m) => `${m.user_id}:${m.role}`);
    if (indexed.join() !== members.join()) out.push(`chat ${chatId}: index [${indexed}], members [${members}]`);
  }
  return out;
}
