import type { Entity } from '../protocol/messages.js';
import type { FileInfo, InputMedia, MediaKind } from '../protocol/media.js';

/** Media as an app describes it: files as uploadFile returned them, or by id. */
export interface MediaInput {
  kind: MediaKind;
  file: FileInfo | string;
  thumb?: FileInfo | string;
  width?: number;
  height?: number;
  /** Seconds. */
  duration?: number;
  /** Defaults to the name the file was uploaded with. */
  file_name?: string;
}

export interface MediaSendOptions {
  caption?: string;
  entities?: Entity[];
  reply_to_message_id?: number;
  /** Forums: the topic to post in. */
  message_thread_id?: number;
  /** Reuse to retry a send whose outcome is unknown. */
  random_id?: string;
}

export function toInputMedia(media: MediaInput): InputMedia {
  const fileName = media.file_name ?? (typeof media.file === 'string' ? undefined : (media.file.file_name ?? undefined));
  return {
    kind: media.kind,
    file_id: typeof media.file === 'string' ? media.file : media.file.id,
    ...(media.thumb !== undefined && { thumb_file_id: typeof media.thumb === 'string' ? media.thumb : media.thumb.id }),
    ...(media.width !== undefined && { width: media.width }),
    ...(media.height !== undefined && { height: media.height }),
    ...(media.duration !== undefined && { duration: media.duration }),
    ...(fileName !== undefined && { file_name: fileName }),
  };
}
