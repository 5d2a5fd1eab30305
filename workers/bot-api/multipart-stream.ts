import { partHeadOf } from './multipart.js';

/**
 * A multipart/form-data body read as it arrives, so an upload of 50 MB
 * never sits whole in the isolate's 128 MB: text fields are collected (they
 * are small), a file part's bytes are handed on chunk by chunk. It accepts
 * exactly the forms the whole-body reading accepted (the lenient headers of
 * multipart.ts; the first `--boundary` anywhere; `\r\n--boundary` ends a
 * part whatever follows it; `--` after a delimiter ends the form), within
 * the limits below, which no framework's form comes near.
 *
 * What is held at once: the bytes not yet known to be outside a delimiter
 * (less than one delimiter) plus the chunk just read, a part's header block
 * while its end is sought, and the text fields.
 */

/** A form this parser will not read: the Bot API answers it with its "can't parse" 400. */
export class MalformedMultipart extends Error {
  override readonly name = 'MalformedMultipart';
}

export const MULTIPART_LIMITS = {
  /** One part's header block. Content-Disposition with a long file name is well under 1 KiB. */
  headerBytes: 64 * 1024,
  /** All text fields together: as much as a whole text-only call (params.ts MAX_TEXT_BYTES); captions and JSON fields are far smaller. */
  textBytes: 1024 * 1024,
  /** Parts in one form (sendMediaGroup's ten files and their thumbnails, plus the fields, are a few dozen). */
  parts: 1000,
};

export type MultipartLimits = typeof MULTIPART_LIMITS;

/** A file part as sent: its field name, file name (the field name when empty) and declared type. */
export type FilePart = { name: string; filename: string; type: string };

export type FormHandlers = {
  text(name: string, value: string): void;
  /**
   * Takes a file part's bytes as they arrive. Awaited before the rest of the
   * body is read, so a slow consumer slows the upload rather than filling
   * memory; whatever it leaves unread is drained. A malformed or oversized
   * body fails its iteration; the consumer cleans up and lets that through.
   */
  file(part: FilePart, bytes: AsyncIterable<Uint8Array>): Promise<void>;
};

export type MultipartOptions = {
  limits?: Partial<MultipartLimits>;
  /** Told how many bytes the parser holds whenever that grows: a seam for tests that bound its memory. */
  watch?: (heldBytes: number) => void;
};

const CR = 0x0d;
const LF = 0x0a;
const DASH = 0x2d;
const CRLF2 = new Uint8Array([CR, LF, CR, LF]);

export async function readMultipart(
  chunks: AsyncIterable<Uint8Array>,
  boundary: string,
  on: FormHandlers,
  options: MultipartOptions = {},
): Promise<void> {
  const limits = { ...MULTIPART_LIMITS, ...options.limits };
  const encoder = new TextEncoder();
  const delimiter = encoder.encode(`--${boundary}`);
  // A part's content ends at the first CRLF followed by the delimiter.
  const contentEnd = encoder.encode(`\r\n--${boundary}`);
  const source = chunks[Symbol.asyncIterator]();
  let textHeld = 0;
  const window = new Window(source, (bytes) => options.watch?.(bytes + textHeld));
  try {
    if (!(await window.seek(delimiter))) throw new MalformedMultipart('no multipart boundary in the body');
    for (let parts = 0; ; parts++) {
      await window.fill(2);
      // "--" after a delimiter ends the form; a CRLF after it starts a part's headers.
      if (window.bytes[0] === DASH && window.bytes[1] === DASH) break;
      if (window.bytes[0] === CR && window.bytes[1] === LF) window.skip(2);
      if (parts >= limits.parts) throw new MalformedMultipart(`a form has at most ${limits.parts} parts`);
      const headers = await window.through(CRLF2, limits.headerBytes);
      const head = partHeadOf(headers);
      const content = window.until(contentEnd);
      if (head === null) {
        // A part without a name is no parameter: skipped, as Telegram does.
        for await (const _ of content);
      } else if (head.file === null) {
        const pieces: Uint8Array[] = [];
        for await (const piece of content) {
          textHeld += piece.byteLength;
          if (textHeld > limits.textBytes) throw new MalformedMultipart(`text fields are at most ${limits.textBytes} bytes in all`);
          // Copied: a view would keep the whole chunk it came in alive.
          pieces.push(piece.slice());
          options.watch?.(window.bytes.byteLength + textHeld);
        }
        on.text(head.name, new TextDecoder().decode(concat(pieces)));
      } else {
        const bytes = new PartBytes(content);
        await on.file({ name: head.name, ...head.file }, bytes);
        await bytes.drain();
      }
    }
    // The epilogue is read too: the cap on the body covers all of it, as when bodies were read whole.
    while (await window.more()) window.skip(window.bytes.byteLength);
  } finally {
    // Ends the body's reading on failure (a no-op once it was read to the end).
    await source.return?.();
  }
}

/**
 * The unread bytes of the body: the end of what was read (less than one
 * delimiter, or a header block being sought) plus the chunk just read. A
 * buffer is never written after it is made, so the views handed out stay
 * valid while the window moves on.
 */
class Window {
  bytes: Uint8Array = new Uint8Array(0);

  constructor(
    private readonly source: AsyncIterator<Uint8Array>,
    private readonly watch: (heldBytes: number) => void,
  ) {}

  /** Appends the next chunk of the body; false at its end. */
  async more(): Promise<boolean> {
    for (;;) {
      const next = await this.source.next();
      if (next.done) return false;
      if (next.value.byteLength === 0) continue;
      this.bytes = this.bytes.byteLength === 0 ? next.value : concat([this.bytes, next.value]);
      this.watch(this.bytes.byteLength);
      return true;
    }
  }

  /** Reads until at least `n` bytes are unread or the body ends. */
  async fill(n: number): Promise<void> {
    while (this.bytes.byteLength < n && (await this.more()));
  }

  skip(n: number): void {
    this.bytes = this.bytes.subarray(n);
  }

  private take(n: number): Uint8Array {
    const head = this.bytes.subarray(0, n);
    this.skip(n);
    return head;
  }

  /** Moves past the first `needle`; false if the body ends without one. */
  async seek(needle: Uint8Array): Promise<boolean> {
    for (;;) {
      const at = indexOf(this.bytes, needle, 0);
      if (at >= 0) {
        this.skip(at + needle.length);
        return true;
      }
      this.skip(Math.max(0, this.bytes.byteLength - needle.length + 1));
      if (!(await this.more())) return false;
    }
  }

  /** The bytes before the first `needle` (at most `max` of them), moving past it. */
  async through(needle: Uint8Array, max: number): Promise<Uint8Array> {
    let from = 0;
    for (;;) {
      const at = indexOf(this.bytes, needle, from);
      if (at > max) throw new MalformedMultipart(`a part's headers are at most ${max} bytes`);
      if (at >= 0) {
        const head = this.bytes.slice(0, at);
        this.skip(at + needle.length);
        return head;
      }
      if (this.bytes.byteLength >= max + needle.length) throw new MalformedMultipart(`a part's headers are at most ${max} bytes`);
      from = Math.max(0, this.bytes.byteLength - needle.length + 1);
      if (!(await this.more())) throw new MalformedMultipart('a multipart part has no end of headers');
    }
  }

  /**
   * The bytes before the first `needle`, as they arrive, moving past it. A
   * byte is handed on once no needle can start at it, so only the last
   * needle.length - 1 bytes wait for the next chunk.
   */
  async *until(needle: Uint8Array): AsyncGenerator<Uint8Array, void, undefined> {
    for (;;) {
      const at = indexOf(this.bytes, needle, 0);
      if (at >= 0) {
        if (at > 0) yield this.take(at);
        this.skip(needle.length);
        return;
      }
      const settled = this.bytes.byteLength - needle.length + 1;
      if (settled > 0) yield this.take(settled);
      if (!(await this.more())) throw new MalformedMultipart('a multipart part has no closing boundary');
    }
  }
}

/**
 * A file part's bytes as its consumer sees them. It has no `return`, so a
 * consumer that stops early (a `break`) does not end the part: the parser
 * still reads up to its delimiter. A failure is remembered, so a consumer
 * that swallowed one cannot make the parser read on from a broken place.
 */
class PartBytes implements AsyncIterable<Uint8Array> {
  private failure: { error: unknown } | null = null;

  constructor(private readonly content: AsyncGenerator<Uint8Array, void, undefined>) {}

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array, void, undefined> {
    return { next: () => this.next() };
  }

  private async next(): Promise<IteratorResult<Uint8Array, void>> {
    try {
      return await this.content.next();
    } catch (error) {
      this.failure = { error };
      throw error;
    }
  }

  /** Reads what the consumer left unread, or raises the failure it met. */
  async drain(): Promise<void> {
    if (this.failure) throw this.failure.error;
    while (!(await this.next()).done);
  }
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.byteLength;
  }
  return out;
}

/** Position of `needle` in `haystack` from `from`, or -1. */
function indexOf(haystack: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  const last = haystack.length - needle.length;
  for (let i = haystack.indexOf(first, from); i !== -1 && i <= last; i = haystack.indexOf(first, i + 1)) {
    let j = 1;
    while (j < needle.length && haystack[i + j] === needle[j]) j++;
    if (j === needle.length) return i;
  }
  return -1;
}
