import type { EdgegramClient } from '../../../client/index.js';

/** A link is refreshed this long before it expires, so an <img> never gets a dead one. */
const REFRESH_MARGIN_MS = 5 * 60_000;

/**
 * Short-lived download links for messages' files (getFileUrl) and chats'
 * photos (getChatPhotoUrl), cached per message or photo until shortly before they expire: every bubble that shows a photo
 * asks, and a scroll back and forth must not ask the server again. A link the
 * server refused is forgotten, so the next render retries.
 */
export class FileUrls {
  readonly #cache = new Map<string, Promise<{ url: string; expires_at: number }>>();
  /** Previews of files this device sent (by the message's random_id): shown at once, without a download. */
  readonly #local = new Map<string, string>();

  constructor(
    private readonly client: EdgegramClient,
    private readonly now: () => number = Date.now,
  ) {}

  get(chatId: number, messageId: number, options: { thumb?: boolean } = {}): Promise<string> {
    return this.#link(`${chatId}:${messageId}:${options.thumb ? 't' : 'f'}`, () => this.client.getFileUrl(chatId, messageId, options));
  }

  /**
   * A link to a chat's photo (getChatPhotoUrl), cached by the file it shows:
   * a new photo is a new file, so a change never shows the old picture.
   */
  chatPhoto(chatId: number, fileId: string, options: { big?: boolean } = {}): Promise<string> {
    return this.#link(`photo:${chatId}:${fileId}`, () => this.client.getChatPhotoUrl(chatId, options));
  }

  /**
   * A link to a person's profile photo (getUserPhotoUrl), cached by the
   * photo's id: a new photo is a new id, so a change never shows the old one.
   */
  userPhoto(userId: number, photoId: number, options: { big?: boolean } = {}): Promise<string> {
    return this.#link(`user:${userId}:${photoId}:${options.big ? 'b' : 's'}`, () =>
      this.client.api.getUserPhotoUrl({ user_id: userId, photo_id: photoId, ...(options.big ? { big: true } : {}) }),
    );
  }

  async #link(key: string, ask: () => Promise<{ url: string; expires_at: number }>): Promise<string> {
    const cached = this.#cache.get(key);
    if (cached) {
      const link = await cached.catch(() => null);
      if (link && link.expires_at - REFRESH_MARGIN_MS > this.now()) return link.url;
      if (this.#cache.get(key) === cached) this.#cache.delete(key);
      return this.#link(key, ask);
    }
    const request = ask();
    this.#cache.set(key, request);
    request.catch(() => {
      if (this.#cache.get(key) === request) this.#cache.delete(key);
    });
    return (await request).url;
  }

  /** Remembers the preview (a blob: URL) of a file this device is sending. */
  setLocalPreview(randomId: string, url: string): void {
    this.#local.set(randomId, url);
  }

  localPreview(randomId: string | undefined): string | undefined {
    return randomId === undefined ? undefined : this.#local.get(randomId);
  }

  dispose(): void {
    for (const url of this.#local.values()) URL.revokeObjectURL(url);
    this.#local.clear();
  }
}
