import { signal } from '@preact/signals';

export interface Toast {
  id: number;
  text: string;
}

const SHOWN_MS = 5_000;
let nextId = 1;

/** Short notices for failures that have no better place to show (an edit refused, a copy that failed). */
export const toasts = signal<readonly Toast[]>([]);

export function showToast(text: string): void {
  const toast = { id: nextId++, text };
  toasts.value = [...toasts.peek().slice(-2), toast];
  setTimeout(() => (toasts.value = toasts.peek().filter((t) => t !== toast)), SHOWN_MS);
}
