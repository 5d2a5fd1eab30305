import { useEffect, useState } from 'preact/hooks';
import { randomId } from '../../../../client/platform.js';
import { MAX_CAPTION_LENGTH, MAX_FILE_SIZE } from '../../../../protocol/media.js';
import type { Peer } from '../../../../protocol/methods.js';
import { parseMarkdown } from '../../lib/markdown.js';
import { formatBytes, probeFile } from '../../lib/media-probe.js';
import type { FileUrls } from '../../model/file-urls.js';
import { planSends, type OutgoingFile } from '../../model/media-send.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { Icon } from '../common/icons.js';
import { Modal } from '../common/modal.js';
import { Spinner } from '../common/spinner.js';

/** Measures picked files and makes their previews (registered so the sent message shows them at once). */
export async function prepareFiles(files: readonly File[], urls: FileUrls): Promise<OutgoingFile[]> {
  return Promise.all(
    files.map(async (file) => {
      const probe = await probeFile(file);
      const id = randomId();
      const previewUrl = probe.thumb ? URL.createObjectURL(probe.thumb) : null;
      if (previewUrl) urls.setLocalPreview(id, previewUrl);
      return { random_id: id, file, name: file.name || 'file', probe, previewUrl };
    }),
  );
}

/** Files too big for the server are refused here, each with a clear message, before any upload. */
export function acceptableFiles(files: readonly File[]): File[] {
  return files.filter((file) => {
    if (file.size <= MAX_FILE_SIZE) return true;
    showToast(`“${file.name}” is too large (${formatBytes(file.size)}): files can be up to 2 GB.`);
    return false;
  });
}

interface AttachModalProps {
  files: readonly File[];
  peer: Peer;
  replyTo: number | null;
  /** Forums: the topic the files go to. */
  topicId?: number | null;
  onClose: () => void;
  onSent: () => void;
}

/**
 * What is about to be sent: previews of the picked, dropped or pasted files
 * and a caption. Sending starts the uploads; their progress shows in the chat.
 */
export function AttachModal({ files, peer, replyTo, topicId = null, onClose, onSent }: AttachModalProps) {
  const messenger = useMessenger();
  const [prepared, setPrepared] = useState<OutgoingFile[] | null>(null);
  const [caption, setCaption] = useState('');

  useEffect(() => {
    let live = true;
    void prepareFiles(files, messenger.files).then((result) => live && setPrepared(result));
    return () => {
      live = false;
    };
  }, [files]);

  function send() {
    if (!prepared) return;
    const { text, entities } = parseMarkdown(caption.trim());
    if (text.length > MAX_CAPTION_LENGTH) {
      showToast(`The caption is too long: ${text.length} of ${MAX_CAPTION_LENGTH} characters.`);
      return;
    }
    for (const [i, group] of planSends(prepared).entries()) {
      // The caption and the reply go with the first send only.
      messenger.outbox.sendMedia({
        peer,
        files: group,
        caption: i === 0 ? text : '',
        entities: i === 0 ? entities : [],
        replyTo: i === 0 ? replyTo : null,
        topicId,
      });
    }
    onSent();
    onClose();
  }

  const count = files.length;
  const title = `Send ${count === 1 ? 'a file' : `${count} files`}`;
  return (
    <Modal
      title={title}
      onClose={onClose}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" class="button button--primary" disabled={!prepared} onClick={send}>
            Send
          </button>
        </>
      }
    >
      {!prepared ? (
        <Spinner label="Preparing files" />
      ) : (
        <ul class="attach-list">
          {prepared.map((f) => (
            <li key={f.random_id} class="attach-list__item">
              {f.previewUrl ? (
                <img class="attach-list__preview" src={f.previewUrl} alt="" />
              ) : (
                <span class="attach-list__icon" aria-hidden="true">
                  <Icon name="file" />
                </span>
              )}
              <span class="attach-list__name">{f.name}</span>
              <span class="attach-list__size">
                {f.probe.kind} · {formatBytes(f.file.size)}
              </span>
            </li>
          ))}
        </ul>
      )}
      <label class="field">
        <span class="field__label">Caption</span>
        <input
          class="field__input"
          type="text"
          value={caption}
          maxLength={MAX_CAPTION_LENGTH * 2}
          onInput={(e) => setCaption(e.currentTarget.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.isComposing) {
              e.preventDefault();
              send();
            }
          }}
        />
      </label>
    </Modal>
  );
}
