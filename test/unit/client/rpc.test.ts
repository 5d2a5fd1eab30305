import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ClientError } from '../../../client/errors.js';
import { systemTimers } from '../../../client/platform.js';
import { Rpc } from '../../../client/rpc.js';
import { EdgegramError } from '../../../protocol/errors.js';

const state = { pts: 3, date: 0 };

describe('Rpc', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  function setup() {
    const rpc = new Rpc(systemTimers, 1000);
    const sent: { id: string; method: string; params: unknown }[] = [];
    const open = () => rpc.open((text) => sent.push(JSON.parse(text)));
    return { rpc, sent, open };
  }

  it('holds calls made before a socket is open and sends them in order when it opens', async () => {
    const { rpc, sent, open } = setup();
    const first = rpc.call('getState', {});
    void rpc.call('getDialogs', {});
    expect(sent).toEqual([]);
    open();
    expect(sent.map((f) => f.method)).toEqual(['getState', 'getDialogs']);
    rpc.settle(sent[0]!.id, { result: state });
    await expect(first).resolves.toEqual(state);
  });

  it('re-sends a call in flight after the socket reopens, unless it opted out', async () => {
    const { rpc, sent, open } = setup();
    open();
    const kept = rpc.call('getState', {});
    const dropped = rpc.call('getDifference', { pts: 0 }, { resend: false });
    rpc.close();
    await expect(dropped).rejects.toMatchObject({ code: 'DISCONNECTED' });
    open();
    expect(sent.map((f) => f.method)).toEqual(['getState', 'getDifference', 'getState']);
    expect(sent[2]!.id).toBe(sent[0]!.id);
    rpc.settle(sent[2]!.id, { result: state });
    await expect(kept).resolves.toEqual(state);
  });

  it('rejects a call the server does not answer in time, but not while it waits for a socket', async () => {
    const { rpc, open } = setup();
    const call = rpc.call('getState', {});
    vi.advanceTimersByTime(5000);
    expect(rpc.size).toBe(1);
    open();
    vi.advanceTimersByTime(1000);
    await expect(call).rejects.toBeInstanceOf(ClientError);
    await expect(call).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('turns error answers into EdgegramError and malformed results into PROTOCOL errors', async () => {
    const { rpc, sent, open } = setup();
    open();
    const failing = rpc.call('getState', {});
    const malformed = rpc.call('getState', {});
    rpc.settle(sent[0]!.id, { error: { code: 'FORBIDDEN', message: 'no' } });
    rpc.settle(sent[1]!.id, { result: { pts: 'three' } });
    await expect(failing).rejects.toBeInstanceOf(EdgegramError);
    await expect(failing).rejects.toMatchObject({ code: 'FORBIDDEN' });
    await expect(malformed).rejects.toMatchObject({ code: 'PROTOCOL' });
  });

  it('ignores answers to unknown ids', () => {
    const { rpc } = setup();
    expect(rpc.settle('nope', { result: {} })).toBe(false);
  });
});
