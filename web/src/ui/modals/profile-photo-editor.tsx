import { useRef } from 'preact/hooks';
import { probeFile } from '../../lib/media-probe.js';
import { useMessenger } from '../context.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * Setting and removing one's profile photo. As for a chat's photo, the
 * picked image is measured and given a preview here (the preview is the
 * small size lists show), both are uploaded, then setProfilePhoto. Removing
 * deletes the current photo; the one before it, if any, becomes current
 * (Telegram's history). Who sees it is the "Profile photo" privacy rule.
 */
export function ProfilePhotoEditor() {
  const messenger = useMessenger();
  const { client } = messenger;
  const me = messenger.me.value;
  const picker = useRef<HTMLInputElement>(null);
  const { busy, error, act } = useBusyAction(() => messenger.refreshMe(), 'profile');

  function setPhoto(file: File) {
    void act(async () => {
      const probe = await probeFile(file);
      // Anything the browser cannot decode as a photo goes up as it is: the server sniffs it and says why it refuses.
      const uploaded = await client.uploadFile(file, { fileName: file.name });
      const thumb = probe.kind === 'photo' && probe.thumb ? await client.uploadFile(probe.thumb, { fileName: 'preview.jpg' }) : undefined;
      await client.api.setProfilePhoto({
        file_id: uploaded.id,
        ...(thumb ? { thumb_file_id: thumb.id } : {}),
        ...(probe.kind === 'photo' && probe.width && probe.height ? { width: probe.width, height: probe.height } : {}),
      });
    });
  }

  return (
    <div class="field">
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <div class="field__row">
        <button type="button" class="button" disabled={busy} onClick={() => picker.current?.click()}>
          {me.photo ? 'Change photo' : 'Set profile photo'}
        </button>
        {me.photo && (
          <button
            type="button"
            class="button button--danger"
            disabled={busy}
            onClick={() => void act(() => client.api.deleteProfilePhotos({ ids: [me.photo!.id] }))}
          >
            Remove photo
          </button>
        )}
      </div>
      <input
        ref={picker}
        type="file"
        accept="image/jpeg,image/png,image/webp,image/avif,image/heic"
        aria-label="Profile photo"
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
