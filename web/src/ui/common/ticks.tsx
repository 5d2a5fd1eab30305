import { DELIVERY_LABEL, type Delivery } from '../../lib/delivery.js';

/** The status mark on an outgoing message: clock, ✓, ✓✓ grey, ✓✓ blue, or a warning. */
export function Ticks({ delivery }: { delivery: Delivery }) {
  const label = DELIVERY_LABEL[delivery];
  return (
    <span class={`ticks ticks--${delivery}`} role="img" aria-label={label} title={label} data-delivery={delivery}>
      <svg width="18" height="12" viewBox="0 0 18 12" aria-hidden="true" focusable="false">
        {delivery === 'pending' && (
          <g fill="none" stroke="currentColor" stroke-width="1.4" stroke-linecap="round">
            <circle cx="9" cy="6" r="4.8" />
            <path d="M9 3.4V6l1.8 1.2" />
          </g>
        )}
        {delivery === 'failed' && (
          <g fill="currentColor">
            <circle cx="9" cy="6" r="5.5" />
            <path d="M8.3 2.8h1.4v4H8.3zM8.3 7.8h1.4v1.4H8.3z" fill="var(--bubble-out)" />
          </g>
        )}
        {delivery === 'sent' && (
          <path d="M3.5 6.3 6.6 9.4 13 2.8" fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round" />
        )}
        {(delivery === 'delivered' || delivery === 'read') && (
          <g fill="none" stroke="currentColor" stroke-width="1.5" stroke-linecap="round" stroke-linejoin="round">
            <path d="M1 6.3 4.1 9.4 10.5 2.8" />
            <path d="M7.6 9.4 14.2 2.8" />
          </g>
        )}
      </svg>
    </span>
  );
}
