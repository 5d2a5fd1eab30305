import { describe, expect, it } from 'vitest';
import { ErrorCode } from '../../../protocol/errors.js';
import { verbModules, verbNames } from '../../../durable-objects/chat-room/verbs.js';
import { groupSpec, rid, setup } from './harness.js';

const CREATOR = 1;
const MEMBER = 2;

const code = (c: string) => expect.objectContaining({ code: c });

describe('the ChatRoom verb registry', () => {
  it('no two modules declare the same verb (a spread would silently keep only the last)', () => {
    const declared = verbModules.flatMap((m) => Object.keys(m));
    expect(new Set(declared).size).toBe(declared.length);
    expect([...declared].sort()).toEqual([...verbNames].sort());
  });

  it('the logic has every verb as a method', () => {
    const { room } = setup();
    for (const verb of verbNames) expect(typeof room[verb], verb).toBe('function');
  });

  it('run answers a verb exactly as calling it does', async () => {
    const { room, settle } = setup();
    const chat = await room.run('init', [groupSpec(CREATOR, [CREATOR, MEMBER])]);
    expect(chat).toEqual(room.getChat(CREATOR).chat);
    const sent = await room.run('sendMessage', [CREATOR, { random_id: rid(), text: 'hi' }]);
    expect(room.getHistory(CREATOR, { direction: 'before', limit: 10 })).toEqual([sent]);
    await settle();
  });

  it('run refuses any name that is not a verb, inherited ones too, and calls nothing', async () => {
    const { room } = setup();
    for (const name of ['bogus', 'constructor', 'toString', '__proto__', 'hasOwnProperty', 'run', 'alarm', 'idle', '', 42]) {
      await expect(room.run(name, []), String(name)).rejects.toThrow(code(ErrorCode.UNKNOWN_METHOD));
    }
  });

  it('run refuses arguments that are not a list', async () => {
    const { room } = setup();
    await expect(room.run('getChat', { 0: CREATOR })).rejects.toThrow(code(ErrorCode.BAD_REQUEST));
  });

  it('run answers createInvite only once the index holds the link', async () => {
    const { room, world, settle } = setup();
    room.init(groupSpec(CREATOR, [CREATOR, MEMBER]));
    await settle();
    const tokenHash = 'ab'.repeat(32);
    await room.run('createInvite', [CREATOR, { token: 'x'.repeat(22), tokenHash }]);
    expect(world.invites.get(tokenHash)).toBeDefined();
  });
});
