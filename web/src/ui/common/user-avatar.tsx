import { useEffect, useState } from 'preact/hooks';
import type { User } from '../../../../protocol/common.js';
import { useMessenger } from '../context.js';
import { Avatar } from './avatar.js';

/**
 * A download link for a person's profile photo, or undefined while there is
 * none the viewer may see (the server leaves User.photo out then), while it
 * is asked for, or if it was refused: the avatar shows the initials.
 */
export function useUserPhotoUrl(user: Pick<User, 'id' | 'photo'> | undefined, options: { big?: boolean } = {}): string | undefined {
  const { files } = useMessenger();
  const photoId = user?.photo?.id;
  const [shown, setShown] = useState<{ photoId: number; url: string } | undefined>(undefined);
  useEffect(() => {
    if (!user || photoId === undefined) return;
    let live = true;
    files.userPhoto(user.id, photoId, { big: options.big === true }).then(
      (url) => live && setShown({ photoId, url }),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [user?.id, photoId, options.big]);
  // A link fetched for an earlier photo is never shown for a later one.
  return photoId !== undefined && shown?.photoId === photoId ? shown.url : undefined;
}

/** A person's avatar: their photo where they share it, else their initials (the user is looked up by id in the store). */
export function UserAvatar({
  userId,
  name,
  size,
  online,
}: {
  userId: number;
  name: string;
  size?: 'xs' | 'sm' | 'md' | 'lg' | 'xl';
  online?: boolean;
}) {
  const messenger = useMessenger();
  const user = messenger.users.byId.value.get(userId) ?? (userId === messenger.myId ? messenger.me.value : undefined);
  const src = useUserPhotoUrl(user, { big: size === 'xl' });
  return <Avatar id={userId} name={name} size={size} online={online} src={src} />;
}
