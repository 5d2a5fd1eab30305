/**
 * Reads a byte range of an object as one stream made of consecutive ranged
 * R2 reads of at most READ_CHUNK (more for huge ranges, so a response never
 * needs more than MAX_READS of them, well inside every plan's subrequest
 * budget). Each read is short-lived, the next one is requested while the
 * current one streams, and everything goes through native pipes into one
 * FixedLengthStream, so nothing is buffered in the isolate. Small ranges are
 * a single read. (Bounded reads also keep the local R2 simulator of
 * `wrangler dev`, which holds a whole GET in memory, flat: see the e2e test.)
 */
export const READ_CHUNK = 8 * 1024 * 1024;
export const MAX_READS = 40;

export function rangeStream(bucket: R2Bucket, key: string, offset: number, length: number): ReadableStream<Uint8Array> {
  const chunk = Math.max(READ_CHUNK, Math.ceil(length / MAX_READS));
  const { readable, writable } = new FixedLengthStream(length);
  const read = (at: number) => bucket.get(key, { range: { offset: at, length: Math.min(chunk, offset + length - at) } });
  void (async () => {
    try {
      let next: Promise<R2ObjectBody | null> | null = read(offset);
      for (let at = offset; next; at += chunk) {
        const object = await next;
        next = at + chunk < offset + length ? read(at + chunk) : null;
        if (!object) throw new Error(`object ${key} vanished while streaming`);
        await object.body.pipeTo(writable, { preventClose: true });
      }
      await writable.close();
    } catch (err) {
      // The response is already under way: cutting it short is all that is left to do.
      await writable.abort(err).catch(() => {});
    }
  })();
  return readable;
}
