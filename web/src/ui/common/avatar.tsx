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
}

/** A round avatar: initials on one of seven gradients, and an online dot. */
export function Avatar({ id, name, size = 'md', online = false, saved = false }: AvatarProps) {
  return (
    <span class={`avatar avatar--${size} avatar--c${saved ? 5 : avatarColor(id)}`} aria-hidden="true">
      {saved ? <Icon name="chat" size={size === 'xl' ? 48 : 24} /> : <span class="avatar__initials">{initials(name)}</span>}
      {online && <span class="avatar__online" />}
    </span>
  );
}
