import { useState } from 'preact/hooks';
import { avatarColor, initials } from '../../lib/people.js';
import { Icon } from './icons.js';

interface AvatarProps {
  id: number;
  name: string;
  size?: 'xs' | 'sm' | 'md' | 'lg' | 'xl';
  online?: boolean;
  /** "Saved Messages" shows a bookmark-like icon instead of initials. */
  saved?: boolean;
  group?: boolean;
  /** A picture (a chat's photo) shown over the initials, which stay while it loads or if it fails. */
  src?: string | undefined;
}

/** A round avatar: a picture, or initials on one of seven gradients; and an online dot. */
export function Avatar({ id, name, size = 'md', online = false, saved = false, src }: AvatarProps) {
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <span class={`avatar avatar--${size} avatar--c${saved ? 5 : avatarColor(id)}`} aria-hidden="true">
      {saved ? <Icon name="chat" size={size === 'xl' ? 48 : 24} /> : <span class="avatar__initials">{initials(name)}</span>}
      {src && !saved && failed !== src && <img class="avatar__photo" src={src} alt="" onError={() => setFailed(src)} />}
      {online && <span class="avatar__online" />}
    </span>
  );
}
