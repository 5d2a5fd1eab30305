import { goHome } from '../../model/route.js';
import { Avatar } from '../common/avatar.js';
import { Icon, IconButton } from '../common/icons.js';

interface ChatHeaderProps {
  title: string;
  subtitle: string;
  /** Typing and "online" are highlighted. */
  subtitleActive: boolean;
  avatarId: number;
  /** The chat's photo, if it has one (groups and channels). */
  photoUrl?: string | undefined;
  online: boolean;
  saved: boolean;
  onInfo: (() => void) | null;
  /** The back button (shown on phones, and in a thread): to the list, or from a thread to its chat. */
  onBack?: () => void;
  backLabel?: string;
  /** Opens the search inside the chat (absent where there is nothing to search yet). */
  onSearch?: (() => void) | undefined;
}

/** The bar above a chat: back (on phones), avatar, name, status; opens the chat's info. */
export function ChatHeader(props: ChatHeaderProps) {
  const info = props.onInfo;
  const body = (
    <>
      <Avatar id={props.avatarId} name={props.title} size="sm" online={props.online} saved={props.saved} src={props.photoUrl} />
      <span class="chat-header__text">
        <span class="chat-header__title">{props.title}</span>
        {props.subtitle && (
          <span class={props.subtitleActive ? 'chat-header__subtitle chat-header__subtitle--active' : 'chat-header__subtitle'}>
            {props.subtitle}
          </span>
        )}
      </span>
    </>
  );
  return (
    <header class="chat-header">
      <button
        type="button"
        class={props.onBack ? 'icon-button chat-header__back chat-header__back--always' : 'icon-button chat-header__back'}
        aria-label={props.backLabel ?? 'Back to chats'}
        title={props.backLabel ?? 'Back to chats'}
        onClick={props.onBack ?? goHome}
      >
        <Icon name="back" />
      </button>
      {info ? (
        <button type="button" class="chat-header__main" onClick={info} title="Show info">
          {body}
        </button>
      ) : (
        <div class="chat-header__main">{body}</div>
      )}
      {props.onSearch && <IconButton icon="search" label="Search messages" onClick={props.onSearch} />}
      {info && <IconButton icon="info" label="Chat info" onClick={info} />}
    </header>
  );
}
