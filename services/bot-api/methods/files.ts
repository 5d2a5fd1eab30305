import { database } from '../../../d1/db.js';
import { findAccountById } from '../../../d1/queries/accounts.js';
import { claimFileForSend } from '../../../d1/queries/files.js';
import { ownersAllowing } from '../../../d1/queries/privacy.js';
import { countProfilePhotos, profilePhotosOf } from '../../../d1/queries/profile-photos.js';
import { profilePhotoFileFor } from '../../media/profile-photo-files.js';
import { chatPhotoSizes } from '../translate/chat-photos.js';
import { EdgegramError } from '../../../protocol/errors.js';
import { MAX_CAPTION_LENGTH, type InputMedia, type MediaKind } from '../../../protocol/media.js';
import type { Entity } from '../../../protocol/messages.js';
import { FileId } from '../../../protocol/media.js';
import {
  isUploadedFile,
  UPLOADED,
  type BotEntityInput,
  type BotParams,
  type InputFileParam,
  type ParseMode,
} from '../../../protocol/bot-api/params.js';
import type { BotApiMessage } from '../../../protocol/bot-api/types.js';
import { albumKindsFit } from '../../media/access.js';
import type { AlbumItem, CheckedMedia } from '../../sending/outgoing.js';
import { send, sendAlbum } from '../../sending/send.js';
import { claimMedia } from '../../sending/sources.js';
import { resolveChat } from '../chats.js';
import type { BotCallContext } from '../context.js';
import type { BotHandlers } from '../dispatch.js';
import { asBotError, botError } from '../errors.js';
import { formatText } from '../formatting/index.js';
import { readReplyMarkup } from '../markup.js';
import { toBotMessage } from '../translate/messages.js';
import { loadView } from '../translate/updates.js';
import { asBotMessage, freshRandomId, sendAsBot } from './shared.js';

/**
 * Telegram's file methods over Edgegram media: a file is an upload the
 * Worker stored from the multipart request, or a file_id (an Edgegram file
 * id) the bot may use — one it uploaded or one in a chat it is in. Sending by
 * HTTP URL is not supported.
 */

const WRONG_FILE = 'wrong file identifier/HTTP URL specified';
const CAPTION_TOO_LONG = { MESSAGE_TOO_LONG: 'Bad Request: message caption is too long' };

type Common = Pick<
  BotParams<'sendPhoto'>,
  | 'chat_id'
  | 'thumbnail'
  | 'caption'
  | 'parse_mode'
  | 'caption_entities'
  | 'reply_markup'
  | 'reply_parameters'
  | 'reply_to_message_id'
  | 'allow_sending_without_reply'
>;
type Sizes = { width?: number | undefined; height?: number | undefined; duration?: number | undefined };

export const fileMethods: BotHandlers<
  | 'sendPhoto'
  | 'sendDocument'
  | 'sendVideo'
  | 'sendAnimation'
  | 'sendAudio'
  | 'sendVoice'
  | 'sendMediaGroup'
  | 'getFile'
  | 'getUserProfilePhotos'
> = {
  sendPhoto: (ctx, p) => sendOne(ctx, p, 'photo', p.photo, p),
  sendDocument: (ctx, p) => sendOne(ctx, p, 'document', p.document, {}),
  sendVideo: (ctx, p) => sendOne(ctx, p, 'video', p.video, p),
  sendAnimation: (ctx, p) => sendOne(ctx, p, 'animation', p.animation, p),
  sendAudio: (ctx, p) => sendOne(ctx, p, 'audio', p.audio, { duration: p.duration }),
  sendVoice: (ctx, p) => sendOne(ctx, p, 'voice', p.voice, { duration: p.duration }),

  /** An album: 2-10 items, photos and videos together, or only documents, or only audio. */
  async sendMediaGroup(ctx, p) {
    const target = await resolveChat(ctx, p.chat_id, 'send');
    if (!albumKindsFit(p.media.map((m) => m.type))) throw botError.badRequest('MEDIA_INVALID');
    const items: AlbumItem[] = [];
    for (const item of p.media) {
      const { text, entities } = caption(item.caption, item.parse_mode, item.caption_entities);
      const media = await mediaFor(ctx, item.type, item.media, item.thumbnail, item);
      items.push({ random_id: freshRandomId(), content: { text, entities, media } });
    }
    const messages = await sendAsBot(ctx, target, p, (to) => sendAlbum(ctx.env, to, items), CAPTION_TOO_LONG);
    const view = await loadView(ctx.env, ctx.bot.id, { messages, chats: [target.chat] });
    return messages.map((m): BotApiMessage => toBotMessage(m, view));
  },

  /** The file's download path, for `/file/bot<token>/<file_path>`. */
  /** A person's profile photos, newest first, each as its sizes (smallest first), where their privacy lets the bot see them. */
  async getUserProfilePhotos(ctx, p) {
    const db = database(ctx.env.DB);
    const limit = Math.min(Math.max(p.limit ?? 100, 1), 100);
    const offset = Math.max(p.offset ?? 0, 0);
    if (!(await findAccountById(db, p.user_id))) throw botError.badRequest('user not found');
    if (!(await ownersAllowing(db, ctx.bot.id, [p.user_id], 'profile_photo')).has(p.user_id)) return { total_count: 0, photos: [] };
    const photos = await profilePhotosOf(db, p.user_id, offset, limit);
    return { total_count: await countProfilePhotos(db, p.user_id), photos: photos.map(chatPhotoSizes) };
  },

  async getFile(ctx, p) {
    const fileId = FileId.safeParse(p.file_id);
    const db = database(ctx.env.DB);
    const file = fileId.success
      ? ((await claimFileForSend(db, fileId.data, ctx.bot.id, ctx.now())) ?? (await profilePhotoFileFor(db, fileId.data, ctx.bot.id)))
      : undefined;
    if (!file) throw botError.badRequest('invalid file_id');
    return { file_id: file.id, file_unique_id: file.id.slice(0, 16), file_size: file.size, file_path: `files/${file.id}` };
  },
};

async function sendOne(ctx: BotCallContext, p: Common, kind: MediaKind, input: InputFileParam, sizes: Sizes) {
  const target = await resolveChat(ctx, p.chat_id, 'send');
  const { text, entities } = caption(p.caption, p.parse_mode, p.caption_entities);
  const keyboard = readReplyMarkup(p.reply_markup);
  const media = await mediaFor(ctx, kind, input, p.thumbnail, sizes);
  const message = await sendAsBot(
    ctx,
    target,
    p,
    (to) => send(ctx.env, to, { random_id: freshRandomId(), content: { text, entities, media }, ...(keyboard ? { keyboard } : {}) }),
    CAPTION_TOO_LONG,
  );
  return asBotMessage(ctx, target, message);
}

function caption(
  input: string | undefined,
  parseMode: ParseMode | undefined,
  entities: readonly BotEntityInput[] | undefined,
): { text: string; entities: Entity[] } {
  const formatted = formatText(input ?? '', parseMode, entities);
  if (formatted.text.length > MAX_CAPTION_LENGTH) throw botError.badRequest('message caption is too long');
  return formatted;
}

/** The file as media of `kind`, checked as the bot (it may use the file; the kind fits its sniffed type). */
async function mediaFor(
  ctx: BotCallContext,
  kind: MediaKind,
  input: InputFileParam,
  thumbnail: InputFileParam | undefined,
  sizes: Sizes,
): Promise<CheckedMedia> {
  const file = fileRef(input);
  const thumb = thumbnail === undefined ? undefined : fileRef(thumbnail);
  const spec: InputMedia = {
    kind,
    file_id: file.id,
    ...(thumb ? { thumb_file_id: thumb.id } : {}),
    ...(file.name ? { file_name: file.name } : {}),
    ...(kind === 'photo' || kind === 'video' || kind === 'animation' ? pick(sizes, ['width', 'height']) : {}),
    ...(kind === 'video' || kind === 'animation' || kind === 'audio' || kind === 'voice' ? pick(sizes, ['duration']) : {}),
  };
  try {
    return await claimMedia(ctx.env, ctx.bot.id, spec, ctx.now());
  } catch (err) {
    if (err instanceof EdgegramError && err.code === 'MEDIA_INVALID' && kind === 'photo') throw botError.badRequest('IMAGE_PROCESS_FAILED');
    throw asBotError(err, { FILE_NOT_FOUND: `Bad Request: ${WRONG_FILE}` });
  }
}

function fileRef(input: InputFileParam): { id: string; name: string | null } {
  if (isUploadedFile(input)) return { id: input[UPLOADED].id, name: input[UPLOADED].file_name };
  const id = FileId.safeParse(input);
  if (!id.success) throw botError.badRequest(WRONG_FILE);
  return { id: id.data, name: null };
}

function pick(sizes: Sizes, keys: (keyof Sizes)[]): Partial<Record<keyof Sizes, number>> {
  const out: Partial<Record<keyof Sizes, number>> = {};
  for (const k of keys) {
    const v = sizes[k];
    if (v !== undefined && v > 0) out[k] = v;
  }
  return out;
}
