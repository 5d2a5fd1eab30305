/** A spinning ring. With a label it is announced as progress; without one it is decoration. */
export function Spinner({ label, size = 24 }: { label?: string; size?: number }) {
  return (
    <span class="spinner" {...(label ? { role: 'progressbar', 'aria-label': label } : { 'aria-hidden': 'true' })}>
      <svg width={size} height={size} viewBox="0 0 24 24" aria-hidden="true">
        <circle cx="12" cy="12" r="9" fill="none" stroke="currentColor" stroke-width="2.5" stroke-linecap="round" />
      </svg>
    </span>
  );
}
