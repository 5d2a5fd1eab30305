import { signal } from '@preact/signals';

/**
 * Where the user is, kept in the URL's hash so the browser's back button
 * (and a phone's back gesture) returns from a chat to the list.
 * - `#/` the chat list;
 * - `#/chat/<id>` a chat;
 * - `#/chat/<id>/thread/<root>` the replies to one of its messages;
 * - `#/chat/<id>/topic/<topic>` one topic of a forum (the chat itself lists its topics);
 * - `#/comments/<channel>/<post>` a channel post's comments (its thread in the discussion group);
 * - `#/user/<id>` a private chat that does not exist yet (created by its first message);
 * - `#/join/<token>` a group's invite link: the server redirects the shared
 *   `/+<token>` here (see workers/routes/invite-links.ts);
 * - `#/@<username>` a public chat (or a person) by name: the server redirects
 *   the shared `/<username>` here.
 */
export type Route =
  | { kind: 'home' }
  | { kind: 'chat'; chatId: number }
  | { kind: 'thread'; chatId: number; rootId: number }
  | { kind: 'topic'; chatId: number; topicId: number }
  | { kind: 'comments'; channelId: number; postId: number }
  | { kind: 'user'; userId: number }
  | { kind: 'join'; token: string }
  | { kind: 'public'; username: string };

export function parseRoute(hash: string): Route {
  const join = /^#\/join\/([A-Za-z0-9_-]{1,64})$/.exec(hash);
  if (join) return { kind: 'join', token: join[1]! };
  const named = /^#\/@([A-Za-z][A-Za-z0-9_]{4,31})$/.exec(hash);
  if (named) return { kind: 'public', username: named[1]! };
  const thread = /^#\/chat\/(\d{1,16})\/(thread|topic)\/(\d{1,16})$/.exec(hash);
  if (thread) {
    const [chatId, inner] = [Number(thread[1]), Number(thread[3])];
    if (!(Number.isSafeInteger(chatId) && chatId > 0 && Number.isSafeInteger(inner) && inner > 0)) return { kind: 'home' };
    return thread[2] === 'thread' ? { kind: 'thread', chatId, rootId: inner } : { kind: 'topic', chatId, topicId: inner };
  }
  const comments = /^#\/comments\/(\d{1,16})\/(\d{1,16})$/.exec(hash);
  if (comments) {
    const [channelId, postId] = [Number(comments[1]), Number(comments[2])];
    if (Number.isSafeInteger(channelId) && channelId > 0 && Number.isSafeInteger(postId) && postId > 0) return { kind: 'comments', channelId, postId };
    return { kind: 'home' };
  }
  const match = /^#\/(chat|user)\/(\d{1,16})$/.exec(hash);
  if (!match) return { kind: 'home' };
  const id = Number(match[2]);
  if (!Number.isSafeInteger(id) || id <= 0) return { kind: 'home' };
  return match[1] === 'chat' ? { kind: 'chat', chatId: id } : { kind: 'user', userId: id };
}

export const route = signal<Route>(parseRoute(location.hash));
window.addEventListener('hashchange', () => (route.value = parseRoute(location.hash)));

export function openChat(chatId: number, options: { replace?: boolean } = {}): void {
  go(`#/chat/${chatId}`, options.replace);
}

/** A thread of the chat, named by its root message. */
export function openThread(chatId: number, rootId: number): void {
  go(`#/chat/${chatId}/thread/${rootId}`);
}

/** One topic of a forum. */
export function openTopic(chatId: number, topicId: number): void {
  go(`#/chat/${chatId}/topic/${topicId}`);
}

/** A channel post's comments. */
export function openComments(channelId: number, postId: number): void {
  go(`#/comments/${channelId}/${postId}`);
}

export function openUserChat(userId: number): void {
  go(`#/user/${userId}`);
}

/** The link people share for an invite token: the server's `/+<token>`. */
export function inviteLinkUrl(token: string): string {
  return `${location.origin}/+${token}`;
}

/** A public chat's screen (what it is, and Join), or the person's chat if the name is a person's. */
export function openPublic(username: string, options: { replace?: boolean } = {}): void {
  go(`#/@${username}`, options.replace);
}

/** The link people share for a public chat: the server's `/<username>` (Telegram's t.me/<username>). */
export function publicLinkUrl(username: string): string {
  return `${location.origin}/${username}`;
}

export function goHome(): void {
  go('#/');
}

function go(hash: string, replace = false): void {
  if (location.hash === hash) return;
  if (replace) {
    history.replaceState(null, '', hash);
    route.value = parseRoute(hash);
  } else {
    location.hash = hash;
  }
}
