import type { Message } from '../../../../protocol/messages.js';
import { formatBytes, formatDuration } from '../../lib/media-probe.js';
import { Icon } from '../common/icons.js';
import { DocumentView } from './document-view.js';
import { openLightbox } from './lightbox.js';
import { useFileUrl } from './use-file-url.js';

/** What a stored message shows above its caption: a photo or video preview, an album grid, a file or a voice note. */
export function MessageMedia({ messages }: { messages: readonly Message[] }) {
  if (messages.length > 1) {
    return (
      <div class={`media-album media-album--${Math.min(messages.length, 4)}`} role="group" aria-label={`Album of ${messages.length}`}>
        {messages.map((m) => (
          <VisualTile key={m.id} message={m} tile />
        ))}
      </div>
    );
  }
  const message = messages[0]!;
  switch (message.media!.kind) {
    case 'photo':
    case 'video':
    case 'animation':
      return <VisualTile message={message} tile={false} />;
    case 'voice':
    case 'audio':
      return <AudioView message={message} />;
    case 'document':
      return <DocumentView message={message} />;
  }
}

/**
 * A photo or video shown by its preview (the uploaded thumbnail; a photo
 * without one shows the file itself), sized from the sender's dimensions
 * before it loads, so arriving pictures never push the list around.
 */
function VisualTile({ message, tile }: { message: Message; tile: boolean }) {
  const media = message.media!;
  const link = useFileUrl(message, { thumb: media.thumb !== null });
  const isVideo = media.kind !== 'photo';
  const label = isVideo ? `Video${media.duration !== null ? `, ${formatDuration(media.duration)}` : ''}` : 'Photo';
  const ratio = media.width && media.height ? `${media.width} / ${media.height}` : '1 / 1';
  return (
    <button
      type="button"
      class={`media-visual${tile ? ' media-visual--tile' : ''}`}
      style={tile ? undefined : { aspectRatio: ratio }}
      aria-label={`${label}: open`}
      data-media={media.kind}
      onClick={() => openLightbox(message)}
    >
      {typeof link === 'object' && (media.thumb !== null || !isVideo) ? (
        <img class="media-visual__img" src={link.url} alt={label} draggable={false} />
      ) : (
        <span class={`media-visual__placeholder${link === 'error' ? ' media-visual__placeholder--error' : ''}`}>
          {link === 'error' ? 'Not available' : ''}
        </span>
      )}
      {isVideo && (
        <span class="media-visual__play" aria-hidden="true">
          <Icon name="play" size={32} />
        </span>
      )}
      {isVideo && media.duration !== null && <span class="media-visual__badge">{formatDuration(media.duration)}</span>}
    </button>
  );
}

/** A voice note or track: the browser's own player (keyboard-accessible), loaded when shown. */
function AudioView({ message }: { message: Message }) {
  const media = message.media!;
  const link = useFileUrl(message);
  const label = media.kind === 'voice' ? 'Voice message' : (media.file.file_name ?? 'Audio');
  return (
    <div class="media-audio">
      <Icon name={media.kind === 'voice' ? 'mic' : 'file'} class="media-audio__icon" />
      <div class="media-audio__body">
        {typeof link === 'object' ? (
          <audio class="media-audio__player" controls preload="metadata" src={link.url} aria-label={label} />
        ) : (
          <span class="media-audio__loading">{link === 'error' ? 'Not available' : 'Loading…'}</span>
        )}
        <span class="media-audio__meta">
          {label}
          {media.duration !== null && ` · ${formatDuration(media.duration)}`} · {formatBytes(media.file.size)}
        </span>
      </div>
    </div>
  );
}
