import { useRef } from 'preact/hooks';
import type { EdgegramClient } from '../../../../client/index.js';
import type { InputChatPhoto } from '../../../../protocol/media.js';
import { probeFile } from '../../lib/media-probe.js';

const PHOTO_TYPES = 'image/jpeg,image/png,image/webp,image/avif,image/heic';

/**
 * Uploads a picked picture as a chat's or a profile's photo: measured and
 * given a preview here (the server does not resize: the preview is the
 * photo's small size, for lists and headers), both uploaded. Anything the
 * browser cannot decode as a photo goes up as it is: the server sniffs it
 * and says why it refuses.
 */
export async function uploadPhoto(client: EdgegramClient, file: File): Promise<InputChatPhoto> {
  const probe = await probeFile(file);
  const uploaded = await client.uploadFile(file, { fileName: file.name });
  const thumb = probe.kind === 'photo' && probe.thumb ? await client.uploadFile(probe.thumb, { fileName: 'preview.jpg' }) : undefined;
  return {
    file_id: uploaded.id,
    ...(thumb ? { thumb_file_id: thumb.id } : {}),
    ...(probe.kind === 'photo' && probe.width && probe.height ? { width: probe.width, height: probe.height } : {}),
  };
}

/** "Set photo" / "Change photo" and "Remove photo", with the hidden file input (named `inputLabel`) the first opens. */
export function PhotoButtons(props: {
  inputLabel: string;
  setText: string;
  hasPhoto: boolean;
  busy: boolean;
  onPick: (file: File) => void;
  onRemove: () => void;
}) {
  const picker = useRef<HTMLInputElement>(null);
  return (
    <div class="field__row">
      <button type="button" class="button" disabled={props.busy} onClick={() => picker.current?.click()}>
        {props.hasPhoto ? 'Change photo' : props.setText}
      </button>
      {props.hasPhoto && (
        <button type="button" class="button button--danger" disabled={props.busy} onClick={props.onRemove}>
          Remove photo
        </button>
      )}
      <input
        ref={picker}
        type="file"
        accept={PHOTO_TYPES}
        aria-label={props.inputLabel}
        hidden
        onChange={(e) => {
          const file = e.currentTarget.files?.[0];
          e.currentTarget.value = '';
          if (file) props.onPick(file);
        }}
      />
    </div>
  );
}
