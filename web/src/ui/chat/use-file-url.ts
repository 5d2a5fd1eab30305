import { useEffect, useState } from 'preact/hooks';
import type { Message } from '../../../../protocol/messages.js';
import { useMessenger } from '../context.js';

export type FileUrlState = { url: string } | 'loading' | 'error';

/**
 * A download link for a message's file (or its preview, with `thumb`), or
 * this device's own preview of a file it sent, which needs no download.
 * `enabled: false` defers asking (a document is fetched only when clicked).
 */
export function useFileUrl(message: Message, options: { thumb?: boolean; enabled?: boolean } = {}): FileUrlState {
  const { files } = useMessenger();
  const local = options.thumb ? files.localPreview(message.random_id) : undefined;
  const [state, setState] = useState<FileUrlState>(local ? { url: local } : 'loading');
  const enabled = options.enabled ?? true;
  useEffect(() => {
    if (local || !enabled) return;
    let live = true;
    files.get(message.chat_id, message.id, { thumb: options.thumb === true }).then(
      (url) => live && setState({ url }),
      () => live && setState('error'),
    );
    return () => {
      live = false;
    };
  }, [message.chat_id, message.id, options.thumb, enabled]);
  return state;
}
