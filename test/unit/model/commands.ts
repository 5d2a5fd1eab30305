import fc from 'fast-check';
import { flush } from './device.js';
import type { RpcOutcome } from './network.js';
import { ACCOUNTS, GROUP, PRIVATE, type World } from './world.js';

const user = fc.constantFrom(...ACCOUNTS);
const chat = fc.constantFrom(GROUP, PRIVATE);
/** Indexes into "whatever exists": messages, sends, devices, RPCs in flight. */
const pick = fc.nat({ max: 1_000 });
/** One in four acknowledgements never reaches the client. */
const ackLost = fc.nat({ max: 3 }).map((n) => n === 0);
export const outcome: fc.Arbitrary<RpcOutcome> = fc.oneof(
  { weight: 6, arbitrary: fc.constant('ok' as const) },
  { weight: 1, arbitrary: fc.constant('failBefore' as const) },
  { weight: 1, arbitrary: fc.constant('ackLost' as const) },
);

const op = <T extends string>(name: T) => fc.constant(name);

/** The model's alphabet: client verbs, device and network events, and faults. */
export const command = fc.oneof(
  { weight: 10, arbitrary: fc.record({ op: op('send'), user, chat, ackLost }) },
  { weight: 2, arbitrary: fc.record({ op: op('retry'), user, pick, ackLost }) },
  { weight: 2, arbitrary: fc.record({ op: op('edit'), user, chat, pick }) },
  {
    weight: 2,
    arbitrary: fc.record({ op: op('delete'), user, chat, picks: fc.array(pick, { minLength: 1, maxLength: 3 }), forEveryone: fc.boolean() }),
  },
  { weight: 2, arbitrary: fc.record({ op: op('read'), user, chat, pick }) },
  { weight: 1, arbitrary: fc.record({ op: op('join'), user }) },
  // Rare, so the group does not empty too soon.
  { weight: 1, arbitrary: fc.record({ op: op('depart'), user, how: fc.constantFrom('leave', 'remove') }) },
  { weight: 2, arbitrary: fc.record({ op: op('link'), device: pick, action: fc.constantFrom('disconnect', 'connect', 'reconnect', 'sync') }) },
  { weight: 4, arbitrary: fc.record({ op: op('serve'), device: pick }) },
  { weight: 6, arbitrary: fc.record({ op: op('receive'), device: pick, frames: fc.integer({ min: 1, max: 3 }) }) },
  { weight: 1, arbitrary: fc.record({ op: op('dropPush'), device: pick }) },
  { weight: 8, arbitrary: fc.record({ op: op('net'), pick, outcome }) },
  { weight: 1, arbitrary: fc.record({ op: op('abortCommit'), target: fc.constantFrom('room', 'mailbox'), chat, user }) },
  { weight: 2, arbitrary: fc.record({ op: op('alarm'), chat, twice: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ op: op('crash'), chat }) },
  { weight: 2, arbitrary: fc.record({ op: op('yield'), turns: fc.integer({ min: 1, max: 5 }) }) },
);
export type Command = typeof command extends fc.Arbitrary<infer C> ? C : never;

export async function execute(w: World, c: Command): Promise<void> {
  w.tick();
  const device = 'device' in c ? w.devices[c.device % w.devices.length]! : undefined;
  switch (c.op) {
    case 'send':
      return w.send(c.user, c.chat, c.ackLost);
    case 'retry':
      return w.retry(c.user, c.pick, c.ackLost);
    case 'edit':
      return w.edit(c.user, c.chat, c.pick);
    case 'delete':
      return w.delete(c.user, c.chat, c.picks, c.forEveryone);
    case 'read':
      return w.read(c.user, c.chat, c.pick);
    case 'join':
      return w.join(c.user);
    case 'depart':
      return c.how === 'leave' ? w.leave(c.user) : w.remove(c.user);
    case 'link':
      if (c.action === 'disconnect' || c.action === 'reconnect') device!.disconnect();
      if (c.action === 'connect' || c.action === 'reconnect') device!.connect();
      if (c.action === 'sync') device!.sync();
      return;
    case 'serve':
      return device!.serve();
    case 'receive':
      return device!.receive(c.frames);
    case 'dropPush':
      device!.dropNextPush = true;
      return;
    case 'net':
      w.network.complete(c.pick, c.outcome);
      return flush(3);
    case 'abortCommit':
      // The next transaction of that object runs its writes, then fails to commit: nothing is kept, nothing fans out.
      if (c.target === 'room') w.room(c.chat).store.failNextCommit = true;
      else w.network.mailboxStores.get(c.user)!.failNextCommit = true;
      return;
    case 'alarm': {
      // The platform fires the alarm if one is set; otherwise this is a duplicate run (alarms are at-least-once).
      const room = w.room(c.chat);
      room.runAlarm(room.scheduled !== null);
      if (c.twice) room.runAlarm(false);
      return;
    }
    case 'crash':
      return w.room(c.chat).crash();
    case 'yield':
      return flush(c.turns);
    default:
      c satisfies never;
  }
}
