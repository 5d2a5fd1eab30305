import { ErrorCode, type ErrorBody } from '../../protocol/errors.js';
import { MAX_FRAME_BYTES, UpFrame, type DownFrame } from '../../protocol/ws.js';
import { safeParseUntrusted } from '../../protocol/safe-parse.js';

type ErrorFrame = Extract<DownFrame, { t: 'error' }>;

/** An incoming WebSocket message, read: a parsed up-frame, or the error frame that answers it. */
export type ReadFrame = { ok: true; frame: UpFrame } | { ok: false; reply: ErrorFrame };

/**
 * Reads one WebSocket message at the boundary: text only, at most
 * MAX_FRAME_BYTES of UTF-8, valid JSON, an UpFrame. Never throws: whatever a
 * client sends gets a typed error frame (plain logic, so it is fuzzed in Node).
 */
export function readFrame(message: string | ArrayBuffer): ReadFrame {
  if (typeof message !== 'string' || tooLong(message)) {
    return refuse(null, { code: ErrorCode.BAD_REQUEST, message: 'Frames must be JSON text under 256 KiB' });
  }
  let json: unknown;
  try {
    json = JSON.parse(message);
  } catch {
    return refuse(null, { code: ErrorCode.MALFORMED_JSON, message: 'Frame is not valid JSON' });
  }
  const frame = safeParseUntrusted(UpFrame, json);
  if (frame.success) return { ok: true, frame: frame.data };
  // Echo the call id when there is one, so the client can fail that call.
  const id = (json as { id?: unknown } | null)?.id;
  return refuse(typeof id === 'string' && id.length > 0 ? id.slice(0, 64) : null, {
    code: ErrorCode.BAD_REQUEST,
    message: 'Unknown or malformed frame',
  });
}

function refuse(id: string | null, error: ErrorBody): ReadFrame {
  return { ok: false, reply: { t: 'error', id, error } };
}

/** Over MAX_FRAME_BYTES of UTF-8? Encodes only in the narrow band where it matters (a UTF-16 unit is 1-3 bytes). */
function tooLong(text: string): boolean {
  if (text.length > MAX_FRAME_BYTES) return true;
  if (text.length * 3 <= MAX_FRAME_BYTES) return false;
  return new TextEncoder().encode(text).byteLength > MAX_FRAME_BYTES;
}
