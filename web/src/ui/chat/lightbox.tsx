import { signal } from '@preact/signals';
import type { Message } from '../../../../protocol/messages.js';
import { Icon, IconButton } from '../common/icons.js';
import { useModalDialog } from '../common/modal.js';
import { useFileUrl } from './use-file-url.js';

/** The photo or video open full-screen; one at a time. */
const current = signal<Message | null>(null);

export function openLightbox(message: Message): void {
  current.value = message;
}

/**
 * The full-size photo or the playing video over everything, on a modal
 * <dialog> (focus trapped, Escape closes, focus returns to the tile). A click
 * on the dark area closes it, as in Telegram.
 */
export function Lightbox() {
  const message = current.value;
  if (!message) return null;
  return <LightboxDialog key={`${message.chat_id}:${message.id}`} message={message} onClose={() => (current.value = null)} />;
}

function LightboxDialog({ message, onClose }: { message: Message; onClose: () => void }) {
  const ref = useModalDialog(onClose);
  const link = useFileUrl(message);
  const media = message.media!;
  const isPhoto = media.kind === 'photo';
  const name = media.file.file_name ?? (isPhoto ? 'photo' : 'video');

  return (
    <dialog
      ref={ref}
      class="lightbox"
      aria-label={isPhoto ? 'Photo' : 'Video'}
      onClick={(event) => {
        if (event.target === ref.current || (event.target as HTMLElement).classList.contains('lightbox__stage')) onClose();
      }}
      onKeyDown={(event) => event.stopPropagation()}
    >
      <div class="lightbox__bar">
        {typeof link === 'object' && (
          <a class="icon-button lightbox__button" href={link.url} download={name} aria-label="Download" title="Download">
            <Icon name="download" />
          </a>
        )}
        <IconButton icon="close" class="lightbox__button" label="Close" title="Close (Esc)" onClick={onClose} />
      </div>
      <div class="lightbox__stage">
        {typeof link !== 'object' ? (
          <p class="lightbox__note">{link === 'error' ? 'This file is no longer available.' : 'Loading…'}</p>
        ) : isPhoto ? (
          <img class="lightbox__media" src={link.url} alt={message.text || 'Photo'} />
        ) : (
          <video class="lightbox__media" src={link.url} controls autoplay loop={media.kind === 'animation'} aria-label="Video" />
        )}
      </div>
    </dialog>
  );
}
