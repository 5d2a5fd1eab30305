import type { EdgegramClient, MediaInput } from '../../../client/index.js';
import type { FileInfo, MediaKind } from '../../../protocol/media.js';
import type { Entity, Message } from '../../../protocol/messages.js';
import type { Peer } from '../../../protocol/methods.js';

/** What the app measured of a file before sending it: everything sendMedia takes besides the file. */
export interface ProbedMedia {
  kind: MediaKind;
  width?: number;
  height?: number;
  /** Seconds. */
  duration?: number;
  /** A small JPEG preview (photos and videos), uploaded beside the file. */
  thumb?: Blob;
}

/** One file of an outgoing media message (or one message of an album). */
export interface OutgoingFile {
  /** This message's own idempotency key (an album has one per item). */
  random_id: string;
  file: Blob;
  name: string;
  probe: ProbedMedia;
  /** A blob: URL of the preview, for photos and videos. */
  previewUrl: string | null;
}

export interface OutgoingMedia {
  files: readonly OutgoingFile[];
  /** Uploaded bytes of all files (previews included) over their total, 0 to 1. */
  progress: number;
}

/** What a send needs besides the files. */
export interface MediaSendRequest {
  peer: Peer;
  files: readonly OutgoingFile[];
  caption: string;
  entities: Entity[];
  replyTo: number | null;
  /** Forums: the topic it goes to. */
  topicId?: number | null;
}

interface Uploaded {
  file: FileInfo;
  thumb?: FileInfo;
}

/**
 * Uploads the files (and their previews) in parallel, then sends them as one
 * message or as an album. Finished uploads are kept in `done`, so a retry
 * after a failed send does not upload again; the sends reuse each item's
 * random_id, so a retry never posts a second copy.
 */
export async function deliverMedia(
  client: EdgegramClient,
  request: MediaSendRequest,
  done: Map<string, Uploaded>,
  onProgress: (fraction: number) => void,
  signal: AbortSignal,
): Promise<Message[]> {
  const total = request.files.reduce((sum, f) => sum + f.file.size + (f.probe.thumb?.size ?? 0), 0);
  const sent = new Map<string, number>();
  const report = () => onProgress(total === 0 ? 1 : [...sent.values()].reduce((a, b) => a + b, 0) / total);
  const upload = async (key: string, blob: Blob, name: string | undefined) => {
    const info = await client.uploadFile(blob, {
      ...(name !== undefined && { fileName: name }),
      ...(blob.type && { mime: blob.type }),
      signal,
      onProgress: (p) => {
        sent.set(key, p.sent);
        report();
      },
    });
    sent.set(key, blob.size);
    report();
    return info;
  };
  await Promise.all(
    request.files.map(async (f) => {
      if (done.has(f.random_id)) {
        sent.set(f.random_id, f.file.size + (f.probe.thumb?.size ?? 0));
        return;
      }
      const [file, thumb] = await Promise.all([
        upload(f.random_id, f.file, f.name),
        f.probe.thumb ? upload(`${f.random_id}:thumb`, f.probe.thumb, undefined) : undefined,
      ]);
      done.set(f.random_id, { file, ...(thumb && { thumb }) });
    }),
  );
  report();
  signal.throwIfAborted();
  const inputs = request.files.map((f) => mediaInput(f, done.get(f.random_id)!));
  const replyTo = {
    ...(request.replyTo !== null && { reply_to_message_id: request.replyTo }),
    ...(request.topicId != null && { message_thread_id: request.topicId }),
  };
  const caption = request.caption ? { caption: request.caption, entities: request.entities } : {};
  if (inputs.length === 1) {
    return [await client.sendMedia(request.peer, inputs[0]!, { ...caption, ...replyTo, random_id: request.files[0]!.random_id })];
  }
  // Telegram's albums carry the caption on their first item.
  return client.sendAlbum(
    request.peer,
    inputs.map((media, i) => ({ media, random_id: request.files[i]!.random_id, ...(i === 0 && caption) })),
    replyTo,
  );
}

function mediaInput(f: OutgoingFile, uploaded: Uploaded): MediaInput {
  const { kind, width, height, duration } = f.probe;
  return {
    kind,
    file: uploaded.file,
    file_name: f.name,
    ...(uploaded.thumb && { thumb: uploaded.thumb }),
    ...(width !== undefined && { width }),
    ...(height !== undefined && { height }),
    ...(duration !== undefined && { duration }),
  };
}

/** How many files one album holds (the protocol's MAX_ALBUM_ITEMS). */
const ALBUM_SIZE = 10;

/**
 * Splits picked files into the sends Telegram's album rule allows: photos
 * and videos together, documents together, audio together; at most ten a
 * send. Order is kept within each kind; visual media go first.
 */
export function planSends<T extends { probe: { kind: string } }>(files: readonly T[]): T[][] {
  const groupOf = (kind: string) => (kind === 'photo' || kind === 'video' ? 0 : kind === 'document' ? 1 : kind === 'audio' ? 2 : 3);
  const groups: T[][] = [[], [], [], []];
  for (const f of files) groups[groupOf(f.probe.kind)]!.push(f);
  const sends: T[][] = [];
  for (const [i, group] of groups.entries()) {
    // Voice notes and animations are never albums: each goes alone.
    const size = i === 3 ? 1 : ALBUM_SIZE;
    for (let start = 0; start < group.length; start += size) sends.push(group.slice(start, start + size));
  }
  return sends;
}
