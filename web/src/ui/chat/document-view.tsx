import { useEffect, useRef, useState } from 'preact/hooks';
import type { Message } from '../../../../protocol/messages.js';
import { describeError } from '../../lib/errors.js';
import { formatBytes } from '../../lib/media-probe.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { Icon } from '../common/icons.js';

/**
 * A file: its name and size, and a button that downloads it with progress
 * (the same button cancels). The bytes are streamed by the SDK, then handed
 * to the browser's save dialog as a blob.
 */
export function DocumentView({ message }: { message: Message }) {
  const { client, files } = useMessenger();
  const file = message.media!.file;
  const name = file.file_name ?? 'file';
  const [received, setReceived] = useState<number | null>(null);
  const abort = useRef<AbortController | null>(null);
  useEffect(() => () => abort.current?.abort(), []);

  async function download() {
    const controller = new AbortController();
    abort.current = controller;
    setReceived(0);
    try {
      const url = await files.get(message.chat_id, message.id);
      const body = await client.downloadFile(url, { signal: controller.signal, onProgress: (p) => setReceived(p.received) });
      const blob = new Blob([(await body.bytes()) as Uint8Array<ArrayBuffer>], { type: body.contentType });
      saveBlob(blob, name);
    } catch (error) {
      if (!controller.signal.aborted) showToast(`Could not download ${name}. ${describeError(error)}`);
    } finally {
      if (abort.current === controller) abort.current = null;
      setReceived(null);
    }
  }

  const busy = received !== null;
  const fraction = busy ? Math.min(1, received / file.size) : 0;
  return (
    <div class="media-doc">
      <button
        type="button"
        class="media-doc__button"
        aria-label={busy ? `Cancel download of ${name}` : `Download ${name}`}
        title={busy ? 'Cancel' : 'Download'}
        onClick={() => (busy ? abort.current?.abort() : void download())}
      >
        <Icon name={busy ? 'close' : 'download'} />
      </button>
      <div class="media-doc__body">
        <span class="media-doc__name" dir="auto">
          {name}
        </span>
        <span class="media-doc__size">{busy ? `${formatBytes(received)} of ${formatBytes(file.size)}` : formatBytes(file.size)}</span>
        {busy && <progress class="media-progress" max={1} value={fraction} aria-label={`Downloading ${name}`} />}
      </div>
    </div>
  );
}

function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.click();
  // Browsers read the URL some time after the click (after a save dialog, in some): keep it a while.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}
