import type { MessageMedia } from '../../../protocol/media.js';
import type { BotApiMessage } from '../../../protocol/bot-api/types.js';

/**
 * The Bot API fields of a media message (photo, document, video, …). A
 * file_id is the Edgegram file id: getFile and the send methods accept it
 * from any bot that can see the message. Edgegram keeps one size of a photo
 * (plus the sender's thumbnail, if any), so `photo` lists at most two.
 */
export function mediaFields(media: MessageMedia): Partial<BotApiMessage> {
  const file = {
    file_id: media.file.id,
    file_unique_id: media.file.id.slice(0, 16),
    file_size: media.file.size,
  };
  const thumbnail = media.thumb
    ? { file_id: media.thumb.id, file_unique_id: media.thumb.id.slice(0, 16), file_size: media.thumb.size, width: 0, height: 0 }
    : null;
  switch (media.kind) {
    case 'photo':
      return { photo: [...(thumbnail ? [thumbnail] : []), { ...file, width: media.width ?? 0, height: media.height ?? 0 }] };
    case 'video':
      return { video: { ...file, width: media.width ?? 0, height: media.height ?? 0, duration: media.duration ?? 0, mime_type: media.file.mime_type } };
    case 'animation':
      return { animation: { ...file, width: media.width ?? 0, height: media.height ?? 0, duration: media.duration ?? 0, mime_type: media.file.mime_type } };
    case 'voice':
      return { voice: { ...file, duration: media.duration ?? 0, mime_type: media.file.mime_type } };
    case 'audio':
      return { audio: { ...file, duration: media.duration ?? 0, mime_type: media.file.mime_type, ...(media.file.file_name ? { file_name: media.file.file_name } : {}) } };
    case 'document':
      return { document: { ...file, mime_type: media.file.mime_type, ...(media.file.file_name ? { file_name: media.file.file_name } : {}) } };
    default: {
      const exhaustive: never = media.kind;
      throw new Error(`unknown media kind ${String(exhaustive)}`);
    }
  }
}
