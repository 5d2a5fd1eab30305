import { useRef } from 'preact/hooks';
import type { Chat } from '../../../../protocol/messages.js';
import { probeFile } from '../../lib/media-probe.js';
import { useMessenger } from '../context.js';

/**
 * Setting and removing a group's or channel's photo, for those who may change
 * its info. The picked image is measured and given a preview here (the
 * server does not resize: the preview is the photo's small size, for lists
 * and headers), both are uploaded, then setChatPhoto; the answer updates the
 * chat at once, and everyone else by the `chat` update.
 */
export function ChatPhotoEditor({ chat, busy, act }: { chat: Chat; busy: boolean; act: (action: () => Promise<unknown>) => Promise<void> }) {
  const messenger = useMessenger();
  const { client } = messenger;
  const picker = useRef<HTMLInputElement>(null);

  function setPhoto(file: File) {
    void act(async () => {
      const probe = await probeFile(file);
      // Anything the browser cannot decode as a photo goes up as it is: the server sniffs it and says why it refuses.
      const uploaded = await client.uploadFile(file, { fileName: file.name });
      const thumb = probe.kind === 'photo' && probe.thumb ? await client.uploadFile(probe.thumb, { fileName: 'preview.jpg' }) : undefined;
      const { chat: updated } = await client.api.setChatPhoto({
        chat_id: chat.id,
        file_id: uploaded.id,
        ...(thumb ? { thumb_file_id: thumb.id } : {}),
        ...(probe.kind === 'photo' && probe.width && probe.height ? { width: probe.width, height: probe.height } : {}),
      });
      messenger.dialogs.onChat({ type: 'chat', chat: updated });
    });
  }

  function removePhoto() {
    void act(async () => {
      const { chat: updated } = await client.api.deleteChatPhoto({ chat_id: chat.id });
      messenger.dialogs.onChat({ type: 'chat', chat: updated });
    });
  }

  return (
    <div class="field__row">
      <button type="button" class="button" disabled={busy} onClick={() => picker.current?.click()}>
        {chat.photo ? 'Change photo' : 'Set photo'}
      </button>
      {chat.photo && (
        <button type="button" class="button button--danger" disabled={busy} onClick={removePhoto}>
          Remove photo
        </button>
      )}
      <input
        ref={picker}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/avif,image/heic"
        aria-label="Chat photo"
        hidden
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) setPhoto(file);
        }}
      />
    </div>
  );
}
