import type { ComponentChildren } from 'preact';
import { useEffect, useLayoutEffect, useRef, useState } from 'preact/hooks';
import { Icon, type IconName } from './icons.js';

export interface MenuItem {
  label: string;
  icon: IconName;
  onSelect: () => void;
  danger?: boolean;
}

interface MenuProps {
  items: readonly MenuItem[];
  /** Where to open: a point (context menu) or below/above an element. */
  at: { x: number; y: number } | { anchor: HTMLElement; placement?: 'below-start' | 'below-end' | 'above-start' | 'above-end' };
  label: string;
  onClose: () => void;
  /** Above the items (a row of reactions); its buttons take part in arrow-key moves as menu items. */
  header?: ComponentChildren;
}

/**
 * A popup menu (role="menu"): opens with the first item focused; arrow keys,
 * Home and End move; Enter or Space chooses; Escape, Tab or a click outside
 * closes it and focus returns to where it was.
 */
export function Menu({ items, at, label, onClose, header }: MenuProps) {
  const ref = useRef<HTMLDivElement>(null);
  const returnFocus = useRef<Element | null>(document.activeElement);

  useLayoutEffect(() => {
    const menu = ref.current!;
    const { width, height } = menu.getBoundingClientRect();
    const margin = 8;
    let left: number;
    let top: number;
    if ('x' in at) {
      left = at.x;
      top = at.y;
    } else {
      const rect = at.anchor.getBoundingClientRect();
      const placement = at.placement ?? 'below-start';
      left = placement.endsWith('-start') ? rect.left : rect.right - width;
      top = placement.startsWith('above') ? rect.top - height - 4 : rect.bottom + 4;
    }
    left = Math.max(margin, Math.min(left, window.innerWidth - width - margin));
    top = Math.max(margin, Math.min(top, window.innerHeight - height - margin));
    // Placed before the first paint (it renders hidden to be measured), then the first item takes focus.
    menu.style.left = `${left}px`;
    menu.style.top = `${top}px`;
    menu.style.visibility = 'visible';
    menu.querySelector<HTMLElement>('.menu__item')?.focus();
  }, []);

  useEffect(() => {
    const onPointer = (event: PointerEvent) => {
      if (!ref.current?.contains(event.target as Node)) close();
    };
    const onResize = () => close();
    document.addEventListener('pointerdown', onPointer, true);
    window.addEventListener('resize', onResize);
    return () => {
      document.removeEventListener('pointerdown', onPointer, true);
      window.removeEventListener('resize', onResize);
    };
  }, []);

  function close(restoreFocus = true) {
    onClose();
    if (restoreFocus && returnFocus.current instanceof HTMLElement) returnFocus.current.focus();
  }

  function onKeyDown(event: KeyboardEvent) {
    const buttons = [...ref.current!.querySelectorAll<HTMLElement>('[role="menuitem"]')];
    const index = buttons.indexOf(document.activeElement as HTMLElement);
    const move = (to: number) => buttons[(to + buttons.length) % buttons.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        move(index + 1);
        break;
      case 'ArrowUp':
        move(index - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(buttons.length - 1);
        break;
      case 'Escape':
        close();
        break;
      case 'Tab':
        close();
        break;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <div
      ref={ref}
      class="menu"
      role="menu"
      aria-label={label}
      onKeyDown={onKeyDown}
      style={{ visibility: 'hidden' }}
    >
      {header}
      {items.map((item) => (
        <button
          key={item.label}
          type="button"
          role="menuitem"
          class={item.danger ? 'menu__item menu__item--danger' : 'menu__item'}
          onClick={() => {
            close(false);
            item.onSelect();
          }}
        >
          <Icon name={item.icon} size={20} />
          <span>{item.label}</span>
        </button>
      ))}
    </div>
  );
}

/** A button that opens a menu below it. */
export function MenuButton({
  label,
  icon,
  items,
  placement,
  class: className,
  children,
}: {
  label: string;
  icon: IconName;
  items: () => readonly MenuItem[];
  placement?: 'below-start' | 'below-end' | 'above-end';
  class?: string;
  children?: ComponentChildren;
}) {
  const button = useRef<HTMLButtonElement>(null);
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        ref={button}
        type="button"
        class={className ?? 'icon-button'}
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen(!open)}
      >
        <Icon name={icon} />
        {children}
      </button>
      {open && (
        <Menu
          items={items()}
          label={label}
          at={{ anchor: button.current!, ...(placement && { placement }) }}
          onClose={() => setOpen(false)}
        />
      )}
    </>
  );
}
