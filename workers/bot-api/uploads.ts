import { asBotError } from '../../services/bot-api/errors.js';
import type { Env } from '../../durable-objects/env.js';
import { isUploadedFile, UPLOADED, type BotMethodName, type UploadedFile } from '../../protocol/bot-api/params.js';
import { EdgegramError } from '../../protocol/errors.js';
import { FileName } from '../../protocol/media.js';
import { uploadStream } from '../media/streamed-uploads.js';
import type { FilePart } from './multipart-stream.js';
import type { FileParam } from './params.js';

/** The methods that take uploaded files; files sent to any other method are read and dropped. */
const FILE_METHODS: ReadonlySet<BotMethodName> = new Set([
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAnimation',
  'sendAudio',
  'sendVoice',
  'sendMediaGroup',
  'setChatPhoto',
]);

/**
 * What a multipart Bot API call does with its file parts, decided before
 * the body is read (the method is in the URL). For a method that takes
 * files, each is stored as the bot's upload while it streams in (the
 * account API's upload path: R2, content dedup, sniffed type) and its
 * parameter becomes a reference the method's schema accepts; for any other
 * method it is drained and its parameter left out.
 *
 * A file part later overridden by a field of the same name has been stored
 * all the same; the bot's hold on it lapses like any unsent upload's.
 */
export function botFileParam(env: Env, botId: number, method: BotMethodName | undefined, now: number): FileParam {
  if (!method || !FILE_METHODS.has(method)) return async () => undefined;
  return (part, bytes) => storeFile(env, botId, part, bytes, now);
}

async function storeFile(env: Env, accountId: number, part: FilePart, bytes: AsyncIterable<Uint8Array>, now: number): Promise<UploadedFile> {
  const name = FileName.safeParse(part.filename);
  try {
    const info = await uploadStream(env, accountId, bytes, name.success ? { file_name: name.data } : {}, now);
    return { [UPLOADED]: info };
  } catch (err) {
    // The form's own failures (malformed, too large) pass as they are: params.ts words them.
    throw err instanceof EdgegramError ? asBotError(err, { FILE_TOO_LARGE: '413 Request Entity Too Large' }) : err;
  }
}

/**
 * Telegram's `attach://<name>`, as a whole value or inside JSON fields
 * (sendMediaGroup's media, thumbnails): replaced by the file sent under
 * <name>, once the whole form is read, since the file part may come before
 * or after the field that names it.
 */
export function resolveAttachments(params: Record<string, unknown>): void {
  const stored = new Map(Object.entries(params).filter((entry): entry is [string, UploadedFile] => isUploadedFile(entry[1])));
  if (stored.size === 0) return;
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' && value.includes('attach://')) params[key] = attach(value, stored);
  }
}

/**
 * How deep inside a JSON parameter "attach://" strings are looked for.
 * Telegram's deepest (an InputMedia array's objects) is 3; deeper nesting is
 * left as it is for the method's own validation to refuse, and a walk
 * bounded by it cannot exhaust the stack (the fuzzer found a form of
 * thousands of nested arrays that did: a 500).
 */
const MAX_ATTACH_DEPTH = 8;

/** "attach://name" → the stored file; inside JSON, every such string is replaced. */
function attach(value: string, stored: ReadonlyMap<string, UploadedFile>): unknown {
  const direct = /^attach:\/\/(.+)$/.exec(value);
  if (direct) return stored.get(direct[1]!) ?? value;
  let json: unknown;
  try {
    json = JSON.parse(value);
  } catch {
    return value;
  }
  const walk = (node: unknown, depth: number): unknown => {
    if (typeof node === 'string') {
      const ref = /^attach:\/\/(.+)$/.exec(node);
      return ref ? (stored.get(ref[1]!) ?? node) : node;
    }
    if (depth >= MAX_ATTACH_DEPTH) return node;
    if (Array.isArray(node)) return node.map((item) => walk(item, depth + 1));
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v, depth + 1)]));
    return node;
  };
  return walk(json, 0);
}
