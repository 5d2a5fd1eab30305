import { useMessenger } from '../context.js';
import { useUserPhotoUrl } from '../common/user-avatar.js';
import { Avatar } from '../common/avatar.js';
import { useChatPhotoUrl } from '../common/use-chat-photo.js';
import type { DialogView } from './use-dialog-view.js';

/** A chat's avatar as the lists show it: the peer's initials (and online dot, unless `withPresence` is false), or the group's photo (its small size). */
export function DialogAvatar({ view, size, withPresence = true }: { view: DialogView; size?: 'sm' | 'md'; withPresence?: boolean }) {
  const messenger = useMessenger();
  const chatPhoto = useChatPhotoUrl({ id: view.chatId, photo: view.photo });
  // A private chat shows its peer's profile photo, where the peer shares it.
  const peerPhoto = useUserPhotoUrl(view.avatarId !== view.chatId && !view.isSaved ? messenger.users.byId.value.get(view.avatarId) : undefined);
  const photoUrl = chatPhoto ?? peerPhoto;
  return <Avatar id={view.avatarId} name={view.title} size={size} online={withPresence && view.online} saved={view.isSaved} src={photoUrl} />;
}
