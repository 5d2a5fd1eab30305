import { describe, expect, it, vi } from 'vitest';
import { ClientError } from '../../../client/errors.js';
import { SendQueue, type Call } from '../../../client/send-queue.js';
import { EdgegramError } from '../../../protocol/errors.js';
import type { Message } from '../../../protocol/messages.js';

const message: Message = {
  chat_id: 5,
  id: 1,
  sender_id: 1,
  date: 0,
  text: 'hi',
  entities: [],
  reply_to_message_id: null,
  fwd_from: null,
  media: null,
  edit_date: null,
  random_id: 'r1',
};

function setup(answers: (() => unknown)[]) {
  const calls: { method: string; params: any }[] = [];
  const call = (async (method: string, params: unknown) => {
    calls.push({ method, params });
    return answers.shift()!();
  }) as Call;
  const sleep = vi.fn(async (_ms: number) => {});
  const queue = new SendQueue({ call, sleep, randomId: () => 'r1' });
  return { queue, calls, sleep };
}

describe('SendQueue', () => {
  it('gives each send a random_id and resolves with the message', async () => {
    const { queue, calls } = setup([() => ({ message })]);
    await expect(queue.send({ peer: { chat_id: 5 }, text: 'hi' })).resolves.toEqual(message);
    expect(calls[0]!.params).toEqual({ peer: { chat_id: 5 }, text: 'hi', random_id: 'r1' });
  });

  it('waits retry_after on RATE_LIMITED and retries with the same random_id', async () => {
    const { queue, calls, sleep } = setup([
      () => {
        throw new EdgegramError('RATE_LIMITED', 'slow down', { retry_after: 2 });
      },
      () => ({ message }),
    ]);
    await expect(queue.send({ peer: { chat_id: 5 }, text: 'hi' })).resolves.toEqual(message);
    expect(sleep).toHaveBeenCalledWith(2000);
    expect(calls.map((c) => c.params.random_id)).toEqual(['r1', 'r1']);
  });

  it('rejects on a non-retryable error and leaves the queue', async () => {
    const { queue } = setup([
      () => {
        throw new EdgegramError('MESSAGE_TOO_LONG', 'too long');
      },
    ]);
    const sending = queue.send({ peer: { chat_id: 5 }, text: 'x'.repeat(5000) });
    expect(queue.pending).toHaveLength(1);
    await expect(sending).rejects.toMatchObject({ code: 'MESSAGE_TOO_LONG' });
    expect(queue.pending).toHaveLength(0);
  });

  it('retries a timed-out send with the same random_id, a bounded number of times', async () => {
    const timeout = () => {
      throw new ClientError('TIMEOUT', 'slow');
    };
    const { queue, calls } = setup([timeout, timeout, timeout]);
    await expect(queue.send({ peer: { chat_id: 5 }, text: 'hi' })).rejects.toMatchObject({ code: 'TIMEOUT' });
    expect(calls).toHaveLength(3);
  });

  it('gives every forwarded message its own random_id', async () => {
    let n = 0;
    const calls: any[] = [];
    const call = (async (_method: string, params: unknown) => {
      calls.push(params);
      return { messages: [message, message] };
    }) as Call;
    const queue = new SendQueue({ call, sleep: async () => {}, randomId: () => `r${++n}` });
    await queue.forward({ from_chat_id: 1, ids: [7, 8], to: { user_id: 2 } });
    expect(calls[0].random_ids).toEqual(['r1', 'r2']);
  });
});
