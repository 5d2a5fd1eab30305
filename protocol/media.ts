import { z } from 'zod';
import { Id, shownText, Timestamp } from './common.js';

/** The largest file a client may upload: 2 GiB, as in Telegram. */
export const MAX_FILE_SIZE = 2 * 1024 ** 3;
/** A caption is shorter than a text message (Telegram's limit), in UTF-16 code units. */
export const MAX_CAPTION_LENGTH = 1024;
/** A thumbnail is a small preview image uploaded beside its file. */
export const MAX_THUMB_SIZE = 1024 * 1024;
export const MIN_ALBUM_ITEMS = 2;
export const MAX_ALBUM_ITEMS = 10;

/** Files and uploads are named by 128 random bits, hex: opaque and unguessable. */
export const FileId = z.string().regex(/^[0-9a-f]{32}$/, 'not a file id');
export const UploadId = z.string().regex(/^[0-9a-f]{32}$/, 'not an upload id');

/** A file name as shown to people: no path separators, no control characters. */
export const FileName = shownText(255).regex(/^[^/\\]+$/, 'A file name has no slashes');

/** What a media message shows. The kind must fit the file's sniffed type (see methods/media). */
export const MediaKind = {
  /** An image shown inline (JPEG, PNG, WebP, AVIF, HEIC). */
  photo: 'photo',
  /** A video shown with a player. */
  video: 'video',
  /** Any file, shown as a download. */
  document: 'document',
  /** A recorded voice note (audio). */
  voice: 'voice',
  /** A music track (audio). */
  audio: 'audio',
  /** A silent looping clip: GIF, or MP4/WebM video. */
  animation: 'animation',
} as const;
export type MediaKind = (typeof MediaKind)[keyof typeof MediaKind];
const MediaKindSchema = z.enum(Object.values(MediaKind) as [MediaKind, ...MediaKind[]]);

/**
 * A stored file as a message refers to it. `mime_type` is what the server
 * sniffed from the bytes, never what the client claimed.
 */
export const MediaFile = z.object({
  id: FileId,
  size: z.number().int().positive(),
  mime_type: z.string(),
  file_name: z.string().nullable(),
});
export type MediaFile = z.infer<typeof MediaFile>;

/** What completing an upload returns: the file to send with sendMedia. */
export const FileInfo = MediaFile;
export type FileInfo = MediaFile;

const Dimension = z.number().int().positive().max(100_000);
/** Seconds. */
const Duration = z.number().int().nonnegative().max(30 * 24 * 3600);

export const MessageMedia = z.object({
  kind: MediaKindSchema,
  file: MediaFile,
  /** The client-supplied preview image, if one was sent. */
  thumb: MediaFile.nullable(),
  /** Pixels, as the sender reported them (photo, video, animation). */
  width: Dimension.nullable(),
  height: Dimension.nullable(),
  /** Seconds, as the sender reported them (video, voice, audio, animation). */
  duration: Duration.nullable(),
  /** The same for every message of one album: the id of its first message. */
  grouped_id: Id.nullable(),
});
export type MessageMedia = z.infer<typeof MessageMedia>;

/** Media as a sender describes it: files by id, the rest as the client measured it. */
export const InputMedia = z.object({
  kind: MediaKindSchema,
  file_id: FileId,
  thumb_file_id: FileId.optional(),
  width: Dimension.optional(),
  height: Dimension.optional(),
  duration: Duration.optional(),
  file_name: FileName.optional(),
});
export type InputMedia = z.infer<typeof InputMedia>;

/** A chat photo is an image of at most 10 MB, Telegram's limit for photos. */
export const MAX_CHAT_PHOTO_SIZE = 10 * 1024 * 1024;

/**
 * A group's, supergroup's or channel's picture. Edgegram does not resize
 * images on the server (Workers have no image codecs), so the two sizes
 * Telegram keeps are the picture as uploaded (`big`) and the preview its
 * setter's client made beside it (`small`: the big file again when none
 * was given). Members download either with getChatPhotoUrl.
 */
export const ChatPhoto = z.object({
  big: MediaFile,
  small: MediaFile,
  /** Pixels of `big`, as the setter's client measured them. */
  width: Dimension.nullable(),
  height: Dimension.nullable(),
  /** When it was set. */
  date: Timestamp,
});
export type ChatPhoto = z.infer<typeof ChatPhoto>;

/** A chat photo as its setter names it: an uploaded image, an optional preview, its size. */
export const InputChatPhoto = z.object({
  file_id: FileId,
  thumb_file_id: FileId.optional(),
  width: Dimension.optional(),
  height: Dimension.optional(),
});
export type InputChatPhoto = z.infer<typeof InputChatPhoto>;

/** A short-lived link to download one file: `GET` it, no token needed. */
export const FileUrl = z.object({
  /** Path and query relative to the API origin, like ConnectTicket.url. */
  url: z.string(),
  expires_at: z.number().int().nonnegative(),
});
export type FileUrl = z.infer<typeof FileUrl>;
