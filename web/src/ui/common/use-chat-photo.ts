import { useEffect, useState } from 'preact/hooks';
import type { Chat } from '../../../../protocol/messages.js';
import { useMessenger } from '../context.js';

/**
 * A download link for a chat's photo, or undefined while there is none (or
 * it is still being asked for, or was refused: the avatar then shows the
 * initials). Lists and headers show the small size; the info modal the big one.
 */
export function useChatPhotoUrl(chat: Pick<Chat, 'id' | 'photo'> | null | undefined, options: { big?: boolean } = {}): string | undefined {
  const { files } = useMessenger();
  const photo = chat?.photo;
  const fileId = photo ? (options.big ? photo.big.id : photo.small.id) : undefined;
  const [shown, setShown] = useState<{ fileId: string; url: string } | undefined>(undefined);
  useEffect(() => {
    if (!chat || !fileId) return;
    let live = true;
    files.chatPhoto(chat.id, fileId, { big: options.big === true }).then(
      (url) => live && setShown({ fileId, url }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [chat?.id, fileId, options.big]);
  // A link fetched for an earlier photo is never shown for a later one.
  return fileId !== undefined && shown?.fileId === fileId ? shown.url : undefined;
}
