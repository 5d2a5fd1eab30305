import type { ReplyMarkup } from '../../protocol/keyboards.js';
import type { MessageMedia } from '../../protocol/media.js';
import type { Entity, ForwardOrigin, Message } from '../../protocol/messages.js';

/**
 * What a send carries, and the rules for content taken from another
 * message. Pure: the brands below say where content came from, so the send
 * path (./send.ts) accepts only media that was checked for its sender.
 */

declare const checkedForSender: unique symbol;
declare const readAsSender: unique symbol;

/**
 * Media a sender may put in a message: files it may use, claimed by
 * `claimMedia` (./sources.ts), or re-used from an `Original` it can see.
 */
export type CheckedMedia = MessageMedia & { readonly [checkedForSender]: true };

/**
 * A message as its would-be forwarder or copier reads it (`readOriginals`,
 * ./sources.ts): reading it through its chat as the sender is what
 * authorizes re-sending its text and files.
 */
export type Original = Message & { readonly [readAsSender]: true } & {
  /** A channel's post: the channel's title, which its forwards show. */
  channel_title?: string;
};

/** The content of one message: the text (a caption with media, which may be empty), its media, its origin if forwarded. */
export type Content = {
  text: string;
  entities?: Entity[];
  media?: CheckedMedia;
  fwd_from?: ForwardOrigin;
};

/** One message to send: its idempotency key (unique per sender in the chat), content and a bot's keyboard. */
export type Outgoing = {
  random_id: string;
  content: Content;
  keyboard?: ReplyMarkup;
};

/** One item of an album: media is required. */
export type AlbumItem = { random_id: string; content: Content & { media: CheckedMedia } };

/** A forward: the same text and media, and the origin. A forward of a forward keeps the first origin. */
export function forwardOf(original: Original, unlinkedName?: string): Content {
  return {
    text: original.text,
    entities: original.entities,
    ...reusedMedia(original),
    fwd_from: original.fwd_from ?? {
      // The author's "forwards" rule may leave the forwarder out: then their name alone, no account (see forward-privacy.ts).
      ...(unlinkedName !== undefined && original.sender_id !== null
        ? { sender_id: null, sender_name: unlinkedName }
        : { sender_id: original.sender_id }),
      chat_id: original.chat_id,
      message_id: original.id,
      date: original.date,
      // A channel's post is forwarded from the channel, under its title and signature, never its author's id.
      ...(original.sender_id === null ? { chat_title: original.channel_title ?? '' } : {}),
      ...(original.post_author ? { post_author: original.post_author } : {}),
    },
  };
}

/**
 * A copy: the same media under the original text, or under a new caption;
 * no origin, so a copy of a forward does not show where it came from either.
 */
export function copyOf(original: Original, caption?: { text: string; entities: Entity[] }): Content {
  return { ...(caption ?? { text: original.text, entities: original.entities }), ...reusedMedia(original) };
}

/**
 * The files stay shared (each message holds its own ref) but not the album:
 * a re-sent item is a message of its own.
 */
function reusedMedia(original: Original): { media?: CheckedMedia } {
  return original.media ? { media: { ...original.media, grouped_id: null } as CheckedMedia } : {};
}
