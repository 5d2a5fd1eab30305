import { describe, expect, test } from 'vitest';
import type { Message } from '../../../protocol/messages.js';
import type { UpdateEnvelope } from '../../../protocol/updates.js';
import { checkHistory, Rule, type RecordedRun } from '../../support/history-checker.js';

const CHAT = 7;
function msg(id: number, sender: number, randomId?: string): Message {
  return {
    chat_id: CHAT,
    id,
    sender_id: sender,
    date: 100 + id,
    text: `m${id}`,
    entities: [],
    reply_to_message_id: null,
    fwd_from: null,
    media: null,
    edit_date: null,
    ...(randomId ? { random_id: randomId } : {}),
  };
}
function envs(messages: Message[]): UpdateEnvelope[] {
  return messages.map((m, i) => ({ pts: i + 1, pts_count: 1, date: m.date, update: { type: 'new_message', message: m } }));
}

/** A correct run: user 1 sent two messages, both devices of both members saw them. */
function goodRun(): RecordedRun {
  const sent = [msg(1, 1, 'a'), msg(2, 1, 'b')];
  const seen = [msg(1, 1), msg(2, 1)];
  return {
    sends: [
      { senderId: 1, chatId: CHAT, randomId: 'a', sentAt: 1, ack: { messageId: 1, at: 2 } },
      { senderId: 1, chatId: CHAT, randomId: 'b', sentAt: 3, ack: { messageId: 2, at: 4 } },
    ],
    devices: [
      { userId: 1, deviceId: '1a', applied: envs(sent), caughtUp: true },
      { userId: 2, deviceId: '2a', applied: envs(seen), caughtUp: true },
    ],
    everMembers: new Map([[CHAT, new Set([1, 2])]]),
    steadyMembers: new Map([[CHAT, new Set([1, 2])]]),
  };
}

function rules(run: RecordedRun) {
  return new Set(checkHistory(run).map((v) => v.rule));
}

describe('history checker', () => {
  test('a correct run has no violations', () => {
    expect(checkHistory(goodRun())).toEqual([]);
  });

  test('catches an acknowledged message that a member never received', () => {
    const run = goodRun();
    run.devices[1]!.applied = envs([msg(1, 1)]);
    expect(rules(run)).toContain(Rule.lostAck);
  });

  test('catches two messages for one random_id', () => {
    const run = goodRun();
    run.devices[0]!.applied = envs([msg(1, 1, 'a'), msg(2, 1, 'a')]);
    expect(rules(run)).toContain(Rule.duplicateRandomId);
  });

  test('catches two different acks for one random_id', () => {
    const run = goodRun();
    run.sends.push({ senderId: 1, chatId: CHAT, randomId: 'a', sentAt: 5, ack: { messageId: 3, at: 6 } });
    expect(rules(run)).toContain(Rule.duplicateRandomId);
  });

  test('catches a gap in per-chat ids', () => {
    const run = goodRun();
    run.devices[1]!.applied = envs([msg(1, 1), msg(3, 1)]);
    expect(rules(run)).toContain(Rule.idGap);
  });

  test('catches devices that disagree on a message', () => {
    const run = goodRun();
    run.devices[1]!.applied = envs([msg(1, 1), { ...msg(2, 1), text: 'other' }]);
    expect(rules(run)).toContain(Rule.divergentOrder);
  });

  test('catches a message acked before another was sent but ordered after it', () => {
    const run = goodRun();
    run.sends[0]!.ack = { messageId: 2, at: 2 };
    run.sends[1]!.ack = { messageId: 1, at: 4 };
    expect(rules(run)).toContain(Rule.ackOrder);
  });

  test('catches a pts gap and a pts duplicate', () => {
    const gap = goodRun();
    gap.devices[0]!.applied[1]!.pts = 3;
    expect(rules(gap)).toContain(Rule.ptsGap);
    const dup = goodRun();
    dup.devices[0]!.applied.push(dup.devices[0]!.applied[1]!);
    expect(rules(dup)).toContain(Rule.ptsGap);
  });

  test('catches a non-member receiving an update of the chat', () => {
    const run = goodRun();
    run.devices.push({ userId: 3, deviceId: '3a', applied: envs([msg(1, 1)]), caughtUp: true });
    expect(rules(run)).toContain(Rule.leak);
  });
});
