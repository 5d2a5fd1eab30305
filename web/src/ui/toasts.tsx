import { toasts } from '../model/toasts.js';

export function Toasts() {
  return (
    <div class="toasts" role="alert" aria-live="assertive">
      {toasts.value.map((toast) => (
        <div key={toast.id} class="toast">
          {toast.text}
        </div>
      ))}
    </div>
  );
}
