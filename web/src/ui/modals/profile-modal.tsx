import { useRef, useState } from 'preact/hooks';
import { BOT_USERNAME_SUFFIX } from '../../../../protocol/bots.js';
import { MAX_ABOUT_LENGTH, USERNAME_PATTERN } from '../../../../protocol/common.js';
import { EdgegramError, ErrorCode } from '../../../../protocol/errors.js';
import type { MethodInput } from '../../../../protocol/methods.js';
import { describeError } from '../../lib/errors.js';
import { useMessenger } from '../context.js';
import { UserAvatar } from '../common/user-avatar.js';
import { ProfilePhotoEditor } from './profile-photo-editor.js';
import { Modal } from '../common/modal.js';

const MAX_NAME_LENGTH = 64;

/** Which field an error is about, so it can be marked and focused. */
type Field = 'name' | 'username' | 'about';

/**
 * The account's own profile: display name, username and bio, edited in
 * place. Only the fields that changed are sent. Rule breaks are caught here
 * before the round trip; what only the server knows (taken, rate-limited)
 * comes back as a code and is worded by describeError.
 */
export function ProfileModal({ onClose }: { onClose: () => void }) {
  const messenger = useMessenger();
  const me = messenger.me.value;
  const [name, setName] = useState(me.display_name);
  const [username, setUsername] = useState(me.username);
  const [about, setAbout] = useState(me.about ?? '');
  const [error, setError] = useState<{ field: Field | null; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const inputs = { name: useRef<HTMLInputElement>(null), username: useRef<HTMLInputElement>(null), about: useRef<HTMLTextAreaElement>(null) };

  const changes: MethodInput<'updateProfile'> = {};
  if (name.trim() !== me.display_name) changes.display_name = name.trim();
  const cleanUsername = username.trim().replace(/^@/, '');
  if (cleanUsername !== me.username) changes.username = cleanUsername;
  if (about.trim() !== (me.about ?? '')) changes.about = about.trim();
  const changed = Object.keys(changes).length > 0;

  function fail(field: Field | null, text: string) {
    setError({ field, text });
    if (field) inputs[field].current?.focus();
  }

  async function submit(event: Event) {
    event.preventDefault();
    if (!changed || busy) return;
    const problem = checkLocally(changes);
    if (problem) return fail(problem.field, problem.text);
    setBusy(true);
    setError(null);
    try {
      await messenger.updateProfile(changes);
      onClose();
    } catch (err) {
      setBusy(false);
      fail(fieldOf(err), describeError(err, 'profile'));
    }
  }

  const invalid = (field: Field) => (error?.field === field ? { 'aria-invalid': true, 'aria-errormessage': 'profile-error' } : {});
  return (
    <Modal
      title="Edit profile"
      size="sm"
      onClose={onClose}
      actions={
        <>
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" form="profile-form" class="button button--primary" disabled={busy || !changed}>
            {busy ? 'Saving…' : 'Save'}
          </button>
        </>
      }
    >
      <form id="profile-form" class="profile-form" onSubmit={submit} noValidate>
        <div class="profile">
          <UserAvatar userId={me.id} name={name.trim() || me.display_name} size="xl" />
        </div>
        <ProfilePhotoEditor />
        <label class="field">
          <span class="field__label">Name</span>
          <input
            ref={inputs.name}
            class="field__input"
            name="display_name"
            autocomplete="name"
            maxLength={MAX_NAME_LENGTH}
            autoFocus
            value={name}
            onInput={(e) => setName(e.currentTarget.value)}
            {...invalid('name')}
          />
        </label>
        <label class="field">
          <span class="field__label">Username</span>
          <input
            ref={inputs.username}
            class="field__input"
            name="username"
            autocapitalize="none"
            autocomplete="username"
            spellcheck={false}
            maxLength={33}
            value={username}
            onInput={(e) => setUsername(e.currentTarget.value)}
            aria-describedby="profile-username-hint"
            {...invalid('username')}
          />
          <span class="field__hint" id="profile-username-hint">
            People can find you by this name as @{cleanUsername || 'username'}. 5–32 letters, digits or underscores.
          </span>
        </label>
        <label class="field">
          <span class="field__label">Bio</span>
          <textarea
            ref={inputs.about}
            class="field__input field__input--multiline"
            name="about"
            rows={2}
            maxLength={MAX_ABOUT_LENGTH}
            placeholder="A few words about yourself"
            value={about}
            onInput={(e) => setAbout(e.currentTarget.value)}
            onKeyDown={(e) => {
              // Enter saves, as in Telegram's bio field; the bio is one short line.
              if (e.key === 'Enter' && !e.shiftKey) {
                e.preventDefault();
                e.currentTarget.form?.requestSubmit();
              }
            }}
            aria-describedby="profile-about-count"
            {...invalid('about')}
          />
          <span class="field__hint" id="profile-about-count" aria-live="polite">
            {MAX_ABOUT_LENGTH - about.length} characters left
          </span>
        </label>
        {error && (
          <p class="form-error" id="profile-error" role="alert">
            {error.text}
          </p>
        )}
      </form>
    </Modal>
  );
}

/** The rules the server applies, checked first so a typo gets an answer without a round trip. */
function checkLocally(changes: MethodInput<'updateProfile'>): { field: Field; text: string } | null {
  if (changes.display_name !== undefined && changes.display_name === '') {
    return { field: 'name', text: 'Enter a name.' };
  }
  if (changes.username !== undefined) {
    if (!USERNAME_PATTERN.test(changes.username) || BOT_USERNAME_SUFFIX.test(changes.username)) {
      return { field: 'username', text: describeError(new EdgegramError(ErrorCode.USERNAME_INVALID, ''), 'profile') };
    }
  }
  return null;
}

function fieldOf(err: unknown): Field | null {
  if (!(err instanceof EdgegramError)) return null;
  if (err.code === ErrorCode.USERNAME_TAKEN || err.code === ErrorCode.USERNAME_INVALID) return 'username';
  return null;
}
