import { useSignalEffect } from '@preact/signals';
import { useRef, useState } from 'preact/hooks';
import type { ConnectionView } from '../model/connection.js';
import { useMessenger } from './context.js';
import { Icon } from './common/icons.js';
import { Spinner } from './common/spinner.js';

const TEXT: Record<ConnectionView, string> = {
  'waiting-for-network': 'Waiting for network…',
  connecting: 'Connecting…',
  updating: 'Updating…',
  online: 'Online',
};

/** How long "Online" stays up after a reconnect. */
const ONLINE_SHOWN_MS = 2_000;
const SHOW_AFTER_MS = 400;

/**
 * The connection state as the SDK reports it, floating over the top of the
 * app so it never moves the layout. Hidden while online, except for a
 * moment after the connection comes back.
 */
export function ConnectionBanner() {
  const { connection } = useMessenger();
  const [shown, setShown] = useState<ConnectionView | null>(null);
  const shownRef = useRef<ConnectionView | null>(null);
  /** "Online" confirms a recovery; the first connection after start-up needs no confirmation. */
  const beenOnline = useRef(false);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const show = (view: ConnectionView | null) => {
    shownRef.current = view;
    setShown(view);
  };

  useSignalEffect(() => {
    const view = connection.view.value;
    clearTimeout(timer.current);
    if (view !== 'online') {
      // A blip shorter than this (the first connect, a quick resync) does not flash a banner.
      if (shownRef.current !== null) show(view);
      else timer.current = setTimeout(() => show(view), SHOW_AFTER_MS);
    } else {
      const recovered = beenOnline.current && shownRef.current !== null && shownRef.current !== 'online';
      beenOnline.current = true;
      if (recovered) {
        show('online');
        timer.current = setTimeout(() => show(null), ONLINE_SHOWN_MS);
      } else {
        show(null);
      }
    }
  });

  return (
    <div class="connection-banner-slot" role="status" aria-live="polite">
      {shown && (
        <div class={`connection-banner connection-banner--${shown}`} data-connection={shown}>
          {shown === 'waiting-for-network' ? (
            <Icon name="offline" size={18} />
          ) : shown === 'online' ? (
            <Icon name="check" size={18} />
          ) : (
            <Spinner size={16} />
          )}
          <span>{TEXT[shown]}</span>
        </div>
      )}
    </div>
  );
}
