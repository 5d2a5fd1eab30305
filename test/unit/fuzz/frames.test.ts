/**
 * Fuzzing the WebSocket boundary in process: generated and mutated frames for
 * every frame schema (UpFrame: call, ping) go through the mailbox's real
 * `readFrame()` and, for calls, the real `dispatch()`. Every message gets a
 * parsed frame or a typed error frame; nothing throws.
 *
 * 1,000 frames per schema (10,000 in test:soak); EDGEGRAM_LONG=1 runs 100,000,
 * EDGEGRAM_FUZZ_RUNS=<n> sets the count, EDGEGRAM_FUZZ_SEED=<seed> replays.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readFrame } from '../../../durable-objects/user-mailbox/frames.js';
import { methodNames, methods } from '../../../protocol/methods.js';
import { CallFrame, DownFrame, MAX_FRAME_BYTES, PingFrame, UpFrame } from '../../../protocol/ws.js';
import { fuzzInput, mutationsOf, prototypeFingerprint, validShaped, wireText } from '../../support/arbitraries.js';
import { checkDispatch, fcOptions, preview, RUNS } from './support.js';
import { safeParseUntrusted } from '../../../protocol/safe-parse.js';

const timeout = { timeout: Math.max(120_000, RUNS * 30) };
const hints = { ids: [1, 2, 3, 42] };

/** A call frame to a real method with that method's (fuzzed) params, then maybe mutated as a whole. */
const paramsOf = new Map(methodNames.map((m) => [m, fuzzInput(methods[m].params, hints, 2)]));
const callToRealMethod = fc
  .tuple(fc.constantFrom(...methodNames), fc.string({ minLength: 1, maxLength: 64 }))
  .chain(([method, id]) => paramsOf.get(method)!.map((params) => ({ t: 'call', id, method, params })));
const callFrames = fc.oneof(callToRealMethod, mutationsOf(callToRealMethod), fuzzInput(CallFrame, hints));

/** Reads one message as the mailbox does and checks the answer (and, for a call, dispatch). */
/** Over the frame limit in UTF-8 (encoding only when the length alone cannot tell). */
function overLimit(message: string): boolean {
  if (message.length > MAX_FRAME_BYTES) return true;
  return message.length * 3 > MAX_FRAME_BYTES && new TextEncoder().encode(message).byteLength > MAX_FRAME_BYTES;
}

async function checkMessage(message: string | ArrayBuffer): Promise<void> {
  const read = readFrame(message);
  const context = () => (typeof message === 'string' ? preview(message) : `<${message.byteLength} bytes binary>`);
  if (!read.ok) {
    if (!DownFrame.safeParse(read.reply).success) throw new Error(`${context()}: error frame off the wire schema`);
    if (read.reply.id !== null && (read.reply.id.length === 0 || read.reply.id.length > 64)) {
      throw new Error(`${context()}: echoed id of ${read.reply.id.length} characters`);
    }
    // Refused only what the schema refuses (or what is too big or not text).
    if (typeof message === 'string' && !overLimit(message)) {
      let json: unknown;
      try {
        json = JSON.parse(message);
      } catch {
        return;
      }
      if (safeParseUntrusted(UpFrame, json).success) throw new Error(`${context()}: a valid frame was refused`);
    }
    return;
  }
  if (typeof message === 'string' && overLimit(message)) {
    throw new Error(`${context()}: a frame over ${MAX_FRAME_BYTES} bytes was accepted`);
  }
  if (read.frame.t === 'call') await checkDispatch(read.frame.method, read.frame.params);
}

describe('WebSocket frame fuzzing (readFrame and dispatch in process)', () => {
  it.each([
    ['CallFrame', wireText(callFrames)],
    ['PingFrame', wireText(fc.oneof(validShaped(PingFrame), mutationsOf(validShaped(PingFrame))))],
    ['UpFrame', wireText(fuzzInput(UpFrame, hints))],
  ] as const)(`%s: ${RUNS} generated and mutated frames get a frame or a typed error frame`, timeout, async (_, frames) => {
    const prototype = prototypeFingerprint();
    await fc.assert(fc.asyncProperty(frames, checkMessage), fcOptions);
    expect(prototypeFingerprint()).toBe(prototype);
  });

  it('binary messages, raw garbage and size edges get typed error frames', async () => {
    const edges: (string | ArrayBuffer)[] = [
      new ArrayBuffer(0),
      new Uint8Array([0x7b, 0x7d]).buffer,
      '',
      ' ',
      '\u0000',
      '{"t":"call","id":"x","method":"getState","params":{}}'.padEnd(MAX_FRAME_BYTES + 1, ' '),
      // Under the limit in UTF-16 units, over it in UTF-8 bytes.
      `{"t":"call","id":"x","method":"getState","params":{"pad":"${'€'.repeat(MAX_FRAME_BYTES / 2)}"}}`,
      `{"t":"call","id":"${'i'.repeat(100_000)}","method":"nope"}`,
      `${'['.repeat(100_000)}${']'.repeat(100_000)}`,
      `{"t":"call","id":"x","method":"getState","params":${'['.repeat(50_000)}${']'.repeat(50_000)}}`,
    ];
    for (const message of edges) await checkMessage(message);
    const tooWide = readFrame(edges[6]!);
    expect(tooWide.ok).toBe(false);
  });

  it('a generated frame the schema accepts is never refused, and the exact ping text parses', () => {
    expect(readFrame('{"t":"ping"}')).toEqual({ ok: true, frame: { t: 'ping' } });
    expect(readFrame('{"t":"call","id":"c","method":"getState","params":{}}')).toMatchObject({ ok: true });
  });
});
