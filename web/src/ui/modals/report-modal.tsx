import { useState } from 'preact/hooks';
import type { ReportReason } from '../../../../protocol/account-lifecycle.js';
import { describeError } from '../../lib/errors.js';
import { showToast } from '../../model/toasts.js';
import { useMessenger } from '../context.js';
import { Modal } from '../common/modal.js';
import type { ReportTarget } from './modals-context.js';

const REASONS: { value: ReportReason; label: string }[] = [
  { value: 'spam', label: 'Spam' },
  { value: 'violence', label: 'Violence' },
  { value: 'pornography', label: 'Pornography' },
  { value: 'child_abuse', label: 'Child abuse' },
  { value: 'copyright', label: 'Copyright' },
  { value: 'fake', label: 'Fake account' },
  { value: 'illegal_drugs', label: 'Illegal drugs' },
  { value: 'personal_details', label: 'Personal details' },
  { value: 'other', label: 'Other' },
];

/** Report a message, a chat or a person: a reason, an optional comment, sent to the operators. */
export function ReportModal({ target, onClose }: { target: ReportTarget; onClose: () => void }) {
  const { client } = useMessenger();
  const [reason, setReason] = useState<ReportReason>('spam');
  const [comment, setComment] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function send(event: Event) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const extra = { reason, ...(comment.trim() ? { comment: comment.trim() } : {}) };
    try {
      if (target.kind === 'message') await client.api.reportMessages({ chat_id: target.chatId, message_ids: [target.messageId], ...extra });
      else if (target.kind === 'chat') await client.api.reportChat({ chat_id: target.chatId, ...extra });
      else await client.api.reportUser({ user_id: target.userId, ...extra });
      showToast('Thank you. Your report was sent to the moderators.');
      onClose();
    } catch (err) {
      setError(describeError(err));
      setBusy(false);
    }
  }

  const title = target.kind === 'message' ? 'Report message' : target.kind === 'chat' ? 'Report chat' : 'Report user';
  return (
    <Modal title={title} size="sm" onClose={onClose}>
      <form class="security__form" onSubmit={send} aria-label={title}>
        <fieldset class="report-reasons">
          <legend class="section-title">Reason</legend>
          {REASONS.map((r) => (
            <label key={r.value} class="setting-toggle">
              <input type="radio" name="report_reason" value={r.value} checked={reason === r.value} onChange={() => setReason(r.value)} />
              <span>{r.label}</span>
            </label>
          ))}
        </fieldset>
        <label class="field">
          <span class="field__label">Comment (optional)</span>
          <input class="field__input" name="report_comment" maxLength={512} value={comment} onInput={(e) => setComment(e.currentTarget.value)} />
        </label>
        {error && (
          <p class="form-error" role="alert">
            {error}
          </p>
        )}
        <div class="security__actions">
          <button type="button" class="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" class="button button--danger" disabled={busy}>
            {busy ? 'Sending…' : 'Report'}
          </button>
        </div>
      </form>
    </Modal>
  );
}
