import { formatDialogTime } from '../../lib/time.js';
import { Ticks } from '../common/ticks.js';
import { DialogAvatar } from './dialog-avatar.js';
import type { DialogView } from './use-dialog-view.js';

/** One chat in the list: avatar, title, time, last message or typing, unread badge. */
export function DialogRow({ view, selected }: { view: DialogView; selected: boolean }) {
  return (
    <a
      class={selected ? 'dialog-row dialog-row--selected' : 'dialog-row'}
      href={`#/chat/${view.chatId}`}
      aria-current={selected ? 'page' : undefined}
      data-chat-id={view.chatId}
    >
      <DialogAvatar view={view} />
      <span class="dialog-row__body">
        <span class="dialog-row__top">
          <span class="dialog-row__title">{view.title}</span>
          {/* The avatar's dot is decoration; screen readers hear this instead. */}
          {view.online && <span class="visually-hidden">, online</span>}
          <span class="dialog-row__meta">
            {view.delivery && <Ticks delivery={view.delivery} />}
            {view.time !== null && <time class="dialog-row__time">{formatDialogTime(view.time)}</time>}
          </span>
        </span>
        <span class="dialog-row__bottom">
          {view.typing ? (
            <span class="dialog-row__preview dialog-row__preview--typing">{view.typing}</span>
          ) : (
            <span class="dialog-row__preview">
              {view.sender && <span class="dialog-row__sender">{view.sender}: </span>}
              {view.preview}
            </span>
          )}
          {view.unread > 0 && (
            <span class="badge" aria-label={`${view.unread} unread`}>
              {view.unread > 999 ? '999+' : view.unread}
            </span>
          )}
        </span>
      </span>
    </a>
  );
}
