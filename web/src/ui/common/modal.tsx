import type { ComponentChildren, RefObject } from 'preact';
import { useEffect, useId, useRef } from 'preact/hooks';
import { IconButton } from './icons.js';

interface ModalProps {
  title: string;
  onClose: () => void;
  children: ComponentChildren;
  /** Footer buttons. */
  actions?: ComponentChildren;
  size?: 'sm' | 'md';
}

/**
 * A modal dialog on the native <dialog> element: showModal() makes the rest
 * of the page inert and traps focus, Escape closes it (the `cancel` event),
 * and focus returns to the opener. A click on the backdrop closes it too.
 */
export function Modal({ title, onClose, children, actions, size = 'md' }: ModalProps) {
  const ref = useModalDialog(onClose);
  const titleId = useId();

  return (
    <dialog
      ref={ref}
      class={`modal modal--${size}`}
      aria-labelledby={titleId}
      onClick={(event) => {
        if (event.target === ref.current) onClose();
      }}
      // Keys inside the dialog must not reach the chat's shortcuts behind it.
      onKeyDown={(event) => event.stopPropagation()}
    >
      <div class="modal__surface">
        <header class="modal__header">
          <h2 id={titleId}>{title}</h2>
          <IconButton icon="close" label="Close" onClick={onClose} />
        </header>
        <div class="modal__body">{children}</div>
        {actions && <footer class="modal__actions">{actions}</footer>}
      </div>
    </dialog>
  );
}

/**
 * Opens a <dialog> as modal while the component is mounted: Escape (the
 * `cancel` event) calls `onClose`, and focus goes back to whatever had it.
 */
export function useModalDialog(onClose: () => void): RefObject<HTMLDialogElement | null> {
  const ref = useRef<HTMLDialogElement>(null);
  const onCloseRef = useRef(onClose);
  onCloseRef.current = onClose;
  useEffect(() => {
    const dialog = ref.current!;
    const opener = document.activeElement;
    dialog.showModal();
    const cancel = (event: Event) => {
      event.preventDefault();
      onCloseRef.current();
    };
    dialog.addEventListener('cancel', cancel);
    return () => {
      dialog.removeEventListener('cancel', cancel);
      dialog.close();
      if (opener instanceof HTMLElement && opener.isConnected) opener.focus();
    };
  }, []);
  return ref;
}
