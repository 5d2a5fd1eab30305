import type { ComponentChildren } from 'preact';
import type { Entity } from '../../../../protocol/messages.js';
import type { Delivery } from '../../lib/delivery.js';
import { avatarColor } from '../../lib/people.js';
import { previewText } from '../../lib/rich-text.js';
import { formatClock } from '../../lib/time.js';
import { UserAvatar } from '../common/user-avatar.js';
import { Icon } from '../common/icons.js';
import { Ticks } from '../common/ticks.js';
import { MessageText } from './message-text.js';

export interface BubbleContent {
  /** See keyOf in message-rows.ts. */
  key: string;
  id: number | null;
  senderId: number;
  text: string;
  entities: readonly Entity[];
  date: number;
  edited: boolean;
  forwardedFrom: string | null;
  /** A signed channel post's author; null for other messages. */
  signature: string | null;
  reply: { id: number; name: string; text: string } | 'loading' | 'deleted' | null;
  /** A channel post's view count; null for other messages. */
  views: number | null;
}

interface BubbleProps {
  content: BubbleContent;
  own: boolean;
  delivery: Delivery | null;
  /** Group chats: the sender's name on the first bubble of a run, the avatar on the last. */
  senderName: string | null;
  avatarName: string | null;
  /** First/last of a run of messages from one sender: rounds the corners, draws the tail. */
  first: boolean;
  last: boolean;
  focusable: boolean;
  highlighted: boolean;
  unread: boolean;
  error?: string | undefined;
  /** A photo, album, file or voice note above the caption. */
  media?: ComponentChildren;
  /** Under the text, inside the bubble: the reactions. */
  reactions?: ComponentChildren;
  /** Under the bubble: a bot's inline keyboard. */
  below?: ComponentChildren;
}

/** One message: the bubble with its text, reply quote, forward header, time and ticks. */
export function MessageBubble(props: BubbleProps) {
  const { content, own, delivery, first, last } = props;
  const classes = ['msg', own ? 'msg--out' : 'msg--in'];
  if (first) classes.push('msg--first');
  if (last) classes.push('msg--last');
  if (props.highlighted) classes.push('msg--highlighted');
  if (props.media) classes.push('msg--media');
  if (props.avatarName !== null || (props.senderName !== null && !own)) classes.push('msg--with-avatar');
  const bubble = (
    <div class="msg__bubble">
      {props.senderName !== null && first && (
        <div class={`msg__sender peer-color-${avatarColor(content.senderId)}`}>{props.senderName}</div>
      )}
      {content.forwardedFrom !== null && (
        <div class="msg__forward">
          Forwarded from <strong>{content.forwardedFrom}</strong>
        </div>
      )}
      {content.reply !== null && <ReplyQuote reply={content.reply} />}
      {props.media}
      <div class={`msg__text${content.text === '' ? ' msg__text--empty' : ''}`} dir="auto">
        <span class="msg__content">
          <MessageText text={content.text} entities={content.entities} />
        </span>
        {/* Floats at the end of the last line, or drops below it when the line is full. */}
        <span class="msg__meta">
          {content.signature !== null && <span class="msg__signature">{content.signature}</span>}
          {content.views !== null && (
            <span class="msg__views" title={`${content.views} ${content.views === 1 ? 'view' : 'views'}`}>
              <Icon name="eye" size={14} />
              <span aria-label={`${content.views} ${content.views === 1 ? 'view' : 'views'}`}>{formatCount(content.views)}</span>
            </span>
          )}
          {content.edited && <span class="msg__edited">edited</span>}
          <time dateTime={new Date(content.date).toISOString()}>{formatClock(content.date)}</time>
          {own && delivery && <Ticks delivery={delivery} />}
        </span>
      </div>
      {props.reactions}
      {props.error && (
        <div class="msg__error" role="alert">
          {props.error}
        </div>
      )}
    </div>
  );
  const label = `${own ? 'You' : (props.senderName ?? props.avatarName ?? 'Message')}, ${formatClock(content.date)}`;
  return (
    <div
      class={classes.join(' ')}
      data-key={content.key}
      data-id={content.id ?? undefined}
      data-unread={props.unread ? 'true' : undefined}
      data-post={content.views !== null && content.id !== null ? 'true' : undefined}
      tabIndex={props.focusable ? 0 : -1}
      role="article"
      aria-label={label}
    >
      {props.avatarName !== null && last && (
        <span class="msg__avatar">
          <UserAvatar userId={content.senderId} name={props.avatarName} size="sm" />
        </span>
      )}
      {props.below ? (
        // The bubble and its buttons stack as one column, as wide as the wider of the two.
        <div class="msg__stack">
          {bubble}
          {props.below}
        </div>
      ) : (
        bubble
      )}
    </div>
  );
}

/** Telegram's short counts: 999, 1.2K, 15K, 1.3M. */
export function formatCount(n: number): string {
  if (n < 1000) return String(n);
  const [scaled, unit] = n < 1_000_000 ? [n / 1000, 'K'] : [n / 1_000_000, 'M'];
  return `${scaled < 10 ? Math.floor(scaled * 10) / 10 : Math.floor(scaled)}${unit}`;
}

function ReplyQuote({ reply }: { reply: NonNullable<BubbleContent['reply']> }) {
  if (reply === 'loading') return <div class="reply-quote reply-quote--loading">…</div>;
  if (reply === 'deleted') return <div class="reply-quote reply-quote--deleted">Deleted message</div>;
  return (
    <button type="button" class="reply-quote" data-reply-to={reply.id} tabIndex={-1}>
      <span class="reply-quote__name">{reply.name}</span>
      <span class="reply-quote__text">{previewText(reply.text)}</span>
    </button>
  );
}
