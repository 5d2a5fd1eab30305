import { asBotError, botError } from '../../services/bot-api/errors.js';
import type { Env } from '../../durable-objects/env.js';
import { UPLOADED, type BotMethodName, type UploadedFile } from '../../protocol/bot-api/params.js';
import { FileName } from '../../protocol/media.js';
import { completeUpload, createUpload, putUploadPart } from '../media/uploads.js';

/** The methods that take uploaded files; files sent to any other method are not stored. */
const FILE_METHODS: ReadonlySet<BotMethodName> = new Set([
  'sendPhoto',
  'sendDocument',
  'sendVideo',
  'sendAnimation',
  'sendAudio',
  'sendVoice',
  'sendMediaGroup',
]);

/**
 * Stores the files of a multipart Bot API call as the bot's uploads (the
 * same path as the account API's uploads: R2, content dedup, sniffed type),
 * and replaces each with a reference the method's schema accepts. Telegram's
 * `attach://<name>` inside JSON fields (sendMediaGroup's media, thumbnails)
 * is resolved to the file sent under <name>.
 */
export async function storeUploads(
  env: Env,
  botId: number,
  method: BotMethodName | undefined,
  params: Record<string, unknown>,
  now: number,
): Promise<void> {
  const files = Object.entries(params).filter((entry): entry is [string, File] => entry[1] instanceof File);
  if (files.length === 0) return;
  for (const [key] of files) delete params[key];
  if (!method || !FILE_METHODS.has(method)) return;
  const stored = new Map<string, UploadedFile>();
  for (const [key, file] of files) stored.set(key, await storeFile(env, botId, file, now));
  for (const [key, ref] of stored) params[key] = ref;
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' && value.includes('attach://')) params[key] = attach(value, stored);
  }
}

async function storeFile(env: Env, accountId: number, file: File, now: number): Promise<UploadedFile> {
  if (file.size === 0) throw botError.badRequest('file must be non-empty');
  const name = FileName.safeParse(file.name);
  try {
    const upload = await createUpload(env, accountId, { size: file.size, ...(name.success ? { file_name: name.data } : {}) }, now);
    if (upload.mode === 'single') {
      await putUploadPart(env, accountId, upload.upload_id, 'single', partRequest(file), now);
    } else {
      for (let n = 1; n <= upload.part_count; n++) {
        const start = (n - 1) * upload.part_size;
        await putUploadPart(env, accountId, upload.upload_id, n, partRequest(file.slice(start, start + upload.part_size)), now);
      }
    }
    const info = await completeUpload(env, accountId, upload.upload_id, now);
    return { [UPLOADED]: info };
  } catch (err) {
    throw asBotError(err, { FILE_TOO_LARGE: '413 Request Entity Too Large' });
  }
}

/**
 * A PUT as the upload routes receive it. The body is a JS-backed stream over
 * the form's file: workerd cannot pipe a tee of its own internal streams (a
 * Blob's or a FixedLengthStream's) into another internal stream, which the
 * storage code does with request bodies.
 */
function partRequest(blob: Blob): Request {
  const reader = blob.stream().getReader();
  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel: (reason) => reader.cancel(reason),
  });
  return new Request('https://upload.invalid/', { method: 'PUT', body, headers: { 'content-length': String(blob.size) } });
}

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
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const ref = /^attach:\/\/(.+)$/.exec(node);
      return ref ? (stored.get(ref[1]!) ?? node) : node;
    }
    if (Array.isArray(node)) return node.map(walk);
    if (typeof node === 'object' && node !== null) return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, walk(v)]));
    return node;
  };
  return walk(json);
}
