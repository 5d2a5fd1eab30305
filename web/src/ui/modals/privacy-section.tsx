import { useEffect, useState } from 'preact/hooks';
import type { PrivacyKey, PrivacyRule, PrivacyValue } from '../../../../protocol/privacy.js';
import { describeError } from '../../lib/errors.js';
import { useMessenger } from '../context.js';
import { PrivacyExceptions } from './privacy-exceptions.js';

const SETTINGS: { key: PrivacyKey; label: string }[] = [
  { key: 'last_seen', label: 'Last seen & online' },
  { key: 'profile_photo', label: 'Profile photo' },
  { key: 'bio', label: 'Bio' },
  { key: 'forwards', label: 'Forwarded messages link to my account' },
  { key: 'messages', label: 'Who can message me (others go to requests)' },
  { key: 'group_invites', label: 'Who can add me to groups' },
  { key: 'calls', label: 'Who can call me' },
];

const VALUES: { value: PrivacyValue; label: string }[] = [
  { value: 'everybody', label: 'Everybody' },
  { value: 'contacts', label: 'My contacts' },
  { value: 'nobody', label: 'Nobody' },
];

/**
 * Settings' Privacy: for each kind of information, who gets it, and under
 * each choice the people always and never allowed whatever it says
 * (PrivacyExceptions). Every change is one setPrivacy of the whole rule,
 * undone here if the server refuses it.
 */
export function PrivacySection() {
  const { client } = useMessenger();
  const [rules, setRules] = useState<Partial<Record<PrivacyKey, PrivacyRule>>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    Promise.all(SETTINGS.map(async ({ key }) => [key, (await client.api.getPrivacy({ key })).rule] as const)).then(
      (all) => setRules(Object.fromEntries(all)),
      (err: unknown) => setError(describeError(err)),
    );
  }, []);

  async function save(key: PrivacyKey, next: PrivacyRule) {
    const before = rules[key];
    if (!before) return;
    setRules((r) => ({ ...r, [key]: next }));
    setError(null);
    try {
      const { rule } = await client.api.setPrivacy({ key, rule: next });
      setRules((r) => ({ ...r, [key]: rule }));
    } catch (err) {
      setRules((r) => ({ ...r, [key]: before }));
      setError(describeError(err));
    }
  }

  return (
    <section class="privacy" aria-label="Privacy">
      <h3 class="section-title">Privacy</h3>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {SETTINGS.map(({ key, label }) => {
        const rule = rules[key];
        return (
          <div key={key} class="field">
            <label class="field__label" for={`privacy-${key}`}>
              {label}
            </label>
            <select
              id={`privacy-${key}`}
              class="field__input"
              aria-label={label}
              disabled={!rule}
              value={rule?.value ?? 'everybody'}
              onChange={(e) => rule && void save(key, { ...rule, value: e.currentTarget.value as PrivacyValue })}
            >
              {VALUES.map((v) => (
                <option key={v.value} value={v.value}>
                  {v.label}
                </option>
              ))}
            </select>
            {rule && <PrivacyExceptions label={label} rule={rule} onChange={(next) => save(key, next)} />}
          </div>
        );
      })}
    </section>
  );
}
