import type { Message } from '../../protocol/messages.js';
import type { UpdateEnvelope } from '../../protocol/updates.js';

/**
 * A recorded run, from the clients' point of view: every send with its
 * random_id and, when acknowledged, the message it became; every update each
 * device applied; who was ever a member of each chat.
 */
export type RecordedSend = {
  senderId: number;
  chatId: number;
  randomId: string;
  /** Logical time the send was first issued (a counter or Date.now()). */
  sentAt: number;
  /** Set when the server acknowledged it. */
  ack?: { messageId: number; at: number };
};

export type RecordedDevice = {
  userId: number;
  deviceId: string;
  /** Every envelope the device applied, in the order it applied them. */
  applied: UpdateEnvelope[];
  /** True if the device ran getDifference to the end after the last send. */
  caughtUp: boolean;
};

export type RecordedRun = {
  sends: RecordedSend[];
  devices: RecordedDevice[];
  /** Everyone who was ever a member of each chat; anyone else must receive nothing from it. */
  everMembers: Map<number, Set<number>>;
  /** Members who stayed in the chat through the whole run: they must see every acked message. */
  steadyMembers: Map<number, Set<number>>;
};

export type Violation = { rule: Rule; detail: string };
export const Rule = {
  lostAck: 'an acknowledged message is missing on a member device',
  duplicateRandomId: 'more than one message for one (sender, random_id)',
  idGap: 'per-chat message ids are not contiguous',
  divergentOrder: 'two devices disagree on a message',
  ackOrder: 'a message acked before another was sent got a larger id',
  ptsGap: 'a device applied updates with a pts gap or duplicate',
  leak: 'a non-member received an update of the chat',
} as const;
export type Rule = (typeof Rule)[keyof typeof Rule];

function chatOf(env: UpdateEnvelope): number | undefined {
  const u = env.update;
  switch (u.type) {
    case 'new_message':
    case 'edit_message':
      return u.message.chat_id;
    case 'chat':
      return u.chat.id;
    default:
      return u.chat_id;
  }
}

/** Checks every invariant and returns all violations found (empty = the run is correct). */
export function checkHistory(run: RecordedRun): Violation[] {
  const out: Violation[] = [];
  const add = (rule: Rule, detail: string) => out.push({ rule, detail });

  // pts: each device applied a gap-free, duplicate-free sequence.
  for (const d of run.devices) {
    let pts: number | undefined;
    for (const e of d.applied) {
      if (pts !== undefined && e.pts !== pts + e.pts_count) {
        add(Rule.ptsGap, `device ${d.deviceId}: pts ${e.pts} (count ${e.pts_count}) after ${pts}`);
      }
      pts = e.pts;
    }
  }

  // Messages as each device saw them (first version: new_message).
  const canonical = new Map<string, Message>(); // chat:id → message
  for (const d of run.devices) {
    const idsByChat = new Map<number, number[]>();
    for (const e of d.applied) {
      const chatId = chatOf(e);
      if (chatId !== undefined && !run.everMembers.get(chatId)?.has(d.userId)) {
        add(Rule.leak, `user ${d.userId} got ${e.update.type} of chat ${chatId}`);
      }
      if (e.update.type !== 'new_message') continue;
      const m = e.update.message;
      const key = `${m.chat_id}:${m.id}`;
      const seen = canonical.get(key);
      if (seen && (seen.sender_id !== m.sender_id || seen.text !== m.text || seen.date !== m.date)) {
        add(Rule.divergentOrder, `message ${key} differs between devices`);
      } else if (!seen) canonical.set(key, m);
      const ids = idsByChat.get(m.chat_id) ?? [];
      ids.push(m.id);
      idsByChat.set(m.chat_id, ids);
    }
    for (const [chatId, ids] of idsByChat) {
      for (let i = 1; i < ids.length; i++) {
        if (ids[i] !== ids[i - 1]! + 1) {
          add(Rule.idGap, `device ${d.deviceId} chat ${chatId}: id ${ids[i]} after ${ids[i - 1]}`);
        }
      }
    }
  }

  // One message per (sender, random_id): acks of the same key agree, and no
  // device saw two messages from the same sender's key.
  const ackByKey = new Map<string, number>();
  for (const s of run.sends) {
    if (!s.ack) continue;
    const key = `${s.chatId}:${s.senderId}:${s.randomId}`;
    const prev = ackByKey.get(key);
    if (prev !== undefined && prev !== s.ack.messageId) {
      add(Rule.duplicateRandomId, `${key} acked as ${prev} and ${s.ack.messageId}`);
    }
    ackByKey.set(key, s.ack.messageId);
  }
  for (const d of run.devices) {
    const seen = new Map<string, number>();
    for (const e of d.applied) {
      if (e.update.type !== 'new_message' || !e.update.message.random_id) continue;
      const m = e.update.message;
      const key = `${m.chat_id}:${m.sender_id}:${m.random_id}`;
      const prev = seen.get(key);
      if (prev !== undefined && prev !== m.id) add(Rule.duplicateRandomId, `${key} is messages ${prev} and ${m.id}`);
      seen.set(key, m.id);
    }
  }

  // Acked before sent ⇒ ordered before.
  const acked = run.sends.filter((s) => s.ack);
  for (const a of acked) {
    for (const b of run.sends) {
      if (b.chatId !== a.chatId || !b.ack || a === b) continue;
      if (a.ack!.at < b.sentAt && a.ack!.messageId >= b.ack.messageId) {
        add(Rule.ackOrder, `chat ${a.chatId}: ${a.ack!.messageId} acked before ${b.ack.messageId} was sent`);
      }
    }
  }

  // No acked message lost on a caught-up device of a steady member.
  for (const d of run.devices) {
    if (!d.caughtUp) continue;
    const have = new Set(
      d.applied.flatMap((e) => (e.update.type === 'new_message' ? [`${e.update.message.chat_id}:${e.update.message.id}`] : [])),
    );
    for (const s of acked) {
      if (!run.steadyMembers.get(s.chatId)?.has(d.userId)) continue;
      const key = `${s.chatId}:${s.ack!.messageId}`;
      if (!have.has(key)) add(Rule.lostAck, `device ${d.deviceId} lacks acked message ${key}`);
    }
  }
  return out;
}
