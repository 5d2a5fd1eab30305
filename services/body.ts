/**
 * Reads a request or response body, giving up as soon as it passes `max` bytes: a chunked
 * body declares no length, and buffering all of it could exhaust the isolate's
 * 128 MB before a size check ran. `tooLarge` makes the caller's own error
 * (the API's PAYLOAD_TOO_LARGE, the Bot API's 413).
 */
export async function readCappedBytes(
  body: ReadableStream<Uint8Array> | null,
  max: number,
  tooLarge: () => Error,
): Promise<Uint8Array> {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > max) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  return bytes;
}
