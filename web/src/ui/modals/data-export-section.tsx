import { useEffect, useState } from 'preact/hooks';
import type { DataExport } from '../../../../protocol/account-lifecycle.js';
import { describeError } from '../../lib/errors.js';
import { useMessenger } from '../context.js';

/** How often a running export's progress is read again. */
const POLL_MS = 2_000;

/**
 * "Export my data", in Settings: starts the export, shows its progress while
 * the server builds it, then the download link (a zip; the link expires).
 */
export function DataExportSection() {
  const { client } = useMessenger();
  const [state, setState] = useState<DataExport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function reload() {
    try {
      setState(await client.getDataExport());
    } catch (err) {
      setError(describeError(err));
    }
  }
  useEffect(() => void reload(), []);
  useEffect(() => {
    if (state?.state !== 'running') return;
    const timer = setTimeout(() => void reload(), POLL_MS);
    return () => clearTimeout(timer);
  }, [state]);

  async function start() {
    setBusy(true);
    setError(null);
    try {
      await client.api.requestDataExport({});
      await reload();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  }

  const progress = state?.progress;
  return (
    <section class="security" aria-labelledby="export-title">
      <h3 class="section-title" id="export-title">
        Export my data
      </h3>
      {state?.state === 'running' && progress && (
        <p class="security__status" role="status">
          Preparing your export: {progress.chats_done} of {progress.chats_total} chats, {progress.messages} messages.
          <progress value={progress.fraction} max={1} aria-label="Export progress" />
        </p>
      )}
      {state?.state === 'done' && state.url && (
        <p class="security__status">
          Your export is ready ({Math.max(1, Math.round((state.size ?? 0) / 1024))} KB).{' '}
          <a href={state.url} download data-testid="export-link">
            Download the archive
          </a>
          {state.expires_at !== undefined && <> (the link works until {new Date(state.expires_at).toLocaleString()}).</>}
        </p>
      )}
      {error && (
        <p class="form-error" role="alert">
          {error}
        </p>
      )}
      {state?.state !== 'running' && (
        <button type="button" class="button button--wide" disabled={busy || state === null} onClick={() => void start()}>
          Export my data
        </button>
      )}
    </section>
  );
}
