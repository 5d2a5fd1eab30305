import { useMessenger } from '../context.js';
import { PhotoButtons, uploadPhoto } from '../common/photo-picker.js';
import { useBusyAction } from '../common/use-busy-action.js';

/**
 * Setting and removing one's profile photo: uploaded as a chat's photo is
 * (uploadPhoto), then setProfilePhoto. Removing deletes the current photo;
 * the one before it, if any, becomes current (Telegram's history). Who sees
 * it is the "Profile photo" privacy rule.
 */
export function ProfilePhotoEditor() {
  const messenger = useMessenger();
  const { client } = messenger;
  const me = messenger.me.value;
  const { busy, error, act } = useBusyAction(() => messenger.refreshMe(), 'profile');
  return (
    <div class="field">
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      <PhotoButtons
        inputLabel="Profile photo"
        setText="Set profile photo"
        hasPhoto={!!me.photo}
        busy={busy}
        onPick={(file) => void act(async () => client.api.setProfilePhoto(await uploadPhoto(client, file)))}
        onRemove={() => void act(() => client.api.deleteProfilePhotos({ ids: [me.photo!.id] }))}
      />
    </div>
  );
}
