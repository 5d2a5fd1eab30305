import { useEffect, useState } from 'preact/hooks';
import type { PrivacyKey, PrivacyRule, PrivacyValue } from '../../../../protocol/privacy.js';
import { describeError } from '../../lib/errors.js';
import { useMessenger } from '../context.js';

const SETTINGS: { key: PrivacyKey; label: string }[] = [
  { key: 'last_seen', label: 'Last seen & online' },
  { key: 'bio', label: 'Bio' },
  { key: 'group_invites', label: 'Who can add me to groups' },
];

const VALUES: { value: PrivacyValue; label: string }[] = [
  { value: 'everybody', label: 'Everybody' },
  { value: 'contacts', label: 'My contacts' },
  { value: 'nobody', label: 'Nobody' },
];

/**
 * Settings' Privacy: for each kind of information, who gets it. The people
 * always or never allowed are kept as set (through the API) when the choice
 * changes; the count of each shows under the choice.
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

  async function choose(key: PrivacyKey, value: PrivacyValue) {
    const before = rules[key];
    if (!before) return;
    setRules((r) => ({ ...r, [key]: { ...before, value } }));
    setError(null);
    try {
      const { rule } = await client.api.setPrivacy({ key, rule: { ...before, value } });
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
        const exceptions = rule ? [rule.allow_user_ids.length && `${rule.allow_user_ids.length} always`, rule.disallow_user_ids.length && `${rule.disallow_user_ids.length} never`].filter(Boolean) : [];
        return (
          <label key={key} class="field">
            <span class="field__label">{label}</span>
            <select class="field__input" aria-label={label} disabled={!rule} value={rule?.value ?? 'everybody'} onChange={(e) => void choose(key, e.currentTarget.value as PrivacyValue)}>
              {VALUES.map((v) => (
                <option key={v.value} value={v.value}>
                  {v.label}
                </option>
              ))}
            </select>
            {exceptions.length > 0 && <small class="setting-toggle__hint">Exceptions: {exceptions.join(', ')}</small>}
          </label>
        );
      })}
    </section>
  );
}
