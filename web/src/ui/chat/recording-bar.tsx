import { formatDuration } from '../../lib/media-probe.js';
import { Icon, IconButton } from '../common/icons.js';
import { useNow } from './use-now.js';

/** Takes the composer's place while a voice note records: the running time, cancel, and send. */
export function RecordingBar({ startedAt, onCancel, onSend }: { startedAt: number; onCancel: () => void; onSend: () => void }) {
  const now = useNow(250);
  return (
    <div class="composer composer--recording">
      <IconButton icon="delete" label="Cancel recording" title="Cancel" onClick={onCancel} />
      <div class="composer__box recording" role="status">
        <span class="recording__dot" aria-hidden="true" />
        <span>Recording</span>
        {/* Whole seconds recorded, as a stopwatch counts (rounding would show 0:01 after half a second). */}
        <time class="recording__time">{formatDuration(Math.floor((now - startedAt) / 1000))}</time>
      </div>
      <button type="button" class="composer__send composer__send--ready" aria-label="Send voice message" title="Send" onClick={onSend}>
        <Icon name="send" size={26} />
      </button>
    </div>
  );
}
