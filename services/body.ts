/**
 * A request or response body, chunk by chunk as it arrives, failing as soon
 * as it passes `max` bytes: a chunked body declares no length, so only
 * counting what arrives keeps a sender from pushing more than the caller
 * allows. `tooLarge` makes the caller's own error (the API's
 * PAYLOAD_TOO_LARGE, the Bot API's 413). Stopping early (or failing) cancels
 * the body, so the rest is never read.
 */
export async function* cappedChunks(
  body: ReadableStream<Uint8Array> | null,
  max: number,
  tooLarge: () => Error,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (!body) return;
  const reader = body.getReader();
  let size = 0;
  let ended = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) {
        ended = true;
        return;
      }
      size += value.byteLength;
      if (size > max) throw tooLarge();
      yield value;
    }
  } finally {
    if (!ended) await reader.cancel().catch(() => {});
  }
}

/**
 * A whole body, up to `max` bytes, for bodies that are small by nature (JSON,
 * forms without files, webhook replies): buffering all of an unbounded one
 * could exhaust the isolate's 128 MB before a size check ran.
 */
export async function readCappedBytes(
  body: ReadableStream<Uint8Array> | null,
  max: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of cappedChunks(body, max, tooLarge)) {
    chunks.push(chunk);
    size += chunk.byteLength;
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
