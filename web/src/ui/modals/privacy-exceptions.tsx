import { useEffect, useState } from 'preact/hooks';
import type { PrivacyRule } from '../../../../protocol/privacy.js';
import { describeError } from '../../lib/errors.js';
import { resolvePerson } from '../../lib/resolve.js';
import { useMessenger } from '../context.js';

type ListName = 'allow_user_ids' | 'disallow_user_ids';

const LISTS: { list: ListName; title: string }[] = [
  { list: 'allow_user_ids', title: 'Always allow' },
  { list: 'disallow_user_ids', title: 'Never allow' },
];

/**
 * A rule's exceptions, folded under its choice: the people always allowed
 * and never allowed, each removable, and an @username to add to either.
 * Adding someone to one list takes them off the other (on both, the server
 * would read "never").
 */
export function PrivacyExceptions({ label, rule, onChange }: { label: string; rule: PrivacyRule; onChange: (next: PrivacyRule) => Promise<void> }) {
  const messenger = useMessenger();
  const users = messenger.users.byId.value;
  const [typed, setTyped] = useState<Record<ListName, string>>({ allow_user_ids: '', disallow_user_ids: '' });
  const [error, setError] = useState<string | null>(null);
  const count = rule.allow_user_ids.length + rule.disallow_user_ids.length;

  useEffect(() => messenger.users.ensure([...rule.allow_user_ids, ...rule.disallow_user_ids]), [rule]);

  async function add(list: ListName) {
    const name = typed[list].trim();
    if (!name) return;
    setError(null);
    try {
      const person = await resolvePerson(messenger.client, name);
      messenger.users.add([person]);
      const other: ListName = list === 'allow_user_ids' ? 'disallow_user_ids' : 'allow_user_ids';
      await onChange({
        ...rule,
        [list]: [...new Set([...rule[list], person.id])],
        [other]: rule[other].filter((id) => id !== person.id),
      });
      setTyped((t) => ({ ...t, [list]: '' }));
    } catch (err) {
      setError(describeError(err, 'username'));
    }
  }

  return (
    <details class="privacy-exceptions">
      <summary class="setting-toggle__hint" title={`People always or never allowed, whatever "${label}" says`}>{count > 0 ? `Exceptions (${count})` : 'Add exceptions'}</summary>
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {LISTS.map(({ list, title }) => (
        <div key={list} class="privacy-exceptions__list" aria-label={title} role="group">
          <span class="field__label">{title}</span>
          <ul>
            {rule[list].map((id) => (
              <li key={id}>
                <span>{users.get(id)?.display_name ?? `@${id}`}</span>
                <button
                  type="button"
                  class="button button--small"
                  aria-label={`Remove ${users.get(id)?.display_name ?? id} from ${title}`}
                  onClick={() => void onChange({ ...rule, [list]: rule[list].filter((x) => x !== id) })}
                >
                  ✕
                </button>
              </li>
            ))}
          </ul>
          <form
            class="field__row"
            onSubmit={(e) => {
              e.preventDefault();
              void add(list);
            }}
          >
            <input
              class="field__input"
              placeholder="@username"
              aria-label={`${title}: add a person by username`}
              value={typed[list]}
              onInput={(e) => setTyped((t) => ({ ...t, [list]: e.currentTarget.value }))}
            />
            <button type="submit" class="button">
              Add
            </button>
          </form>
        </div>
      ))}
    </details>
  );
}
