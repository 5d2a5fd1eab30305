import type { OutgoingMessage } from '../../model/outbox.js';
import { formatBytes } from '../../lib/media-probe.js';
import { useMessenger } from '../context.js';
import { Icon, IconButton } from '../common/icons.js';

/**
 * Files this device is sending: their local previews (or names), a progress
 * bar over all of them, and a button that cancels the upload.
 */
export function PendingMedia({ item }: { item: OutgoingMessage }) {
  const { outbox } = useMessenger();
  const media = item.media!;
  const percent = Math.round(media.progress * 100);
  const uploading = item.state === 'pending' && media.progress < 1;
  const visual = media.files.filter((f) => f.previewUrl !== null);
  const others = media.files.filter((f) => f.previewUrl === null);
  return (
    <div class="media-pending">
      {visual.length > 0 && (
        <div class={`media-album media-album--${Math.min(visual.length, 4)}`}>
          {visual.map((f) => (
            <span key={f.random_id} class="media-visual media-visual--tile">
              <img class="media-visual__img" src={f.previewUrl!} alt={f.probe.kind === 'photo' ? 'Photo' : 'Video'} />
            </span>
          ))}
        </div>
      )}
      {others.map((f) => (
        <div key={f.random_id} class="media-doc">
          <span class="media-doc__button" aria-hidden="true">
            <Icon name={f.probe.kind === 'voice' ? 'mic' : 'file'} />
          </span>
          <div class="media-doc__body">
            <span class="media-doc__name">{f.probe.kind === 'voice' ? 'Voice message' : f.name}</span>
            <span class="media-doc__size">{formatBytes(f.file.size)}</span>
          </div>
        </div>
      ))}
      {item.state === 'pending' && (
        <div class="media-pending__status">
          <progress class="media-progress" max={100} value={percent} aria-label="Upload progress" />
          <span class="media-pending__percent">{uploading ? `${percent}%` : 'Sending…'}</span>
          <IconButton icon="close" size={18} class="icon-button--small" label="Cancel upload" title="Cancel" onClick={() => outbox.cancel(item.random_id)} />
        </div>
      )}
    </div>
  );
}
