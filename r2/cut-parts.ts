/**
 * Cuts bytes of unknown length into R2 multipart parts, as planUpload would
 * have planned them had the size been known: every part exactly `partSize`
 * bytes except the last, which holds 1..partSize bytes (0 only when there
 * were no bytes at all). Part sizes must match the plan for content keys to
 * match too (hashing.ts), so the same bytes dedup however they arrived.
 *
 * Each full part is handed to `writeFull` and awaited before another byte
 * is read, so at most one part and the chunk in hand are held. A part is
 * full only once a byte beyond it arrived: bytes that end at exactly
 * `partSize` are one part, a single upload, as planUpload makes them.
 */

/** A part's bytes as the chunks they arrived in (views, not copies), in order. */
export type PartBytes = { partNumber: number; chunks: Uint8Array[]; size: number };

export async function cutIntoParts(
  bytes: AsyncIterable<Uint8Array>,
  partSize: number,
  writeFull: (part: PartBytes) => Promise<void>,
  /** Told how many bytes the part being filled holds whenever that grows: a seam for tests that bound memory. */
  watch?: (heldBytes: number) => void,
): Promise<{ last: PartBytes; size: number }> {
  let part: PartBytes = { partNumber: 1, chunks: [], size: 0 };
  let size = 0;
  for await (const chunk of bytes) {
    size += chunk.byteLength;
    let rest = chunk;
    while (rest.byteLength > 0) {
      if (part.size === partSize) {
        await writeFull(part);
        part = { partNumber: part.partNumber + 1, chunks: [], size: 0 };
      }
      const head = rest.subarray(0, partSize - part.size);
      part.chunks.push(head);
      part.size += head.byteLength;
      rest = rest.subarray(head.byteLength);
      watch?.(part.size);
    }
  }
  return { last: part, size };
}
