import { describe, expect, it } from 'vitest';
import { methods } from '../../../protocol/methods.js';
import { safeParseUntrusted } from '../../../protocol/safe-parse.js';
import { readFrame } from '../../../durable-objects/user-mailbox/frames.js';
import { checkDispatch } from '../fuzz/support.js';

/** Valid JSON whose `length` cannot be compared with a number: zod 4 measures it anyway. */
const lengthTrap = { length: { toString: null } };

describe('parsing values from outside', () => {
  it('a value whose length is not a number fails the parse instead of throwing', () => {
    expect(safeParseUntrusted(methods.getMessages.params, { chat_id: 1, ids: lengthTrap }).success).toBe(false);
    expect(safeParseUntrusted(methods.updateProfile.params, { about: lengthTrap }).success).toBe(false);
    expect(safeParseUntrusted(methods.getMessages.params, { chat_id: 1, ids: [1, 2] }).success).toBe(true);
  });

  it('such params are BAD_REQUEST at the account API, and such a frame is refused with a typed error', async () => {
    expect(await checkDispatch('getMessages', { chat_id: 1, ids: lengthTrap })).toBe('rejected');
    expect(await checkDispatch('updateProfile', { display_name: 'x', about: lengthTrap })).toBe('rejected');
    const read = readFrame(JSON.stringify({ t: 'call', id: lengthTrap, method: 'getMessages', params: {} }));
    expect(read.ok ? 'accepted' : read.reply.error.code).toBe('BAD_REQUEST');
  });
});
