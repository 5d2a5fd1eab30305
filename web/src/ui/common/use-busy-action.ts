import { useState } from 'preact/hooks';
import { describeError, type ErrorContext } from '../../lib/errors.js';

/**
 * One action at a time, then a refresh: `act` runs an action, then `reload`,
 * keeping `busy` set meanwhile (buttons disable) and putting a failure of
 * either into `error` in words, by code.
 */
export function useBusyAction(reload: () => Promise<unknown>, topic: ErrorContext) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function act(action: () => Promise<unknown>): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      await action();
      await reload();
    } catch (err) {
      setError(describeError(err, topic));
    } finally {
      setBusy(false);
    }
  }

  return { busy, error, setError, act };
}
