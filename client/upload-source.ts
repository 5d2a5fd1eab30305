import { ClientError } from './errors.js';

/**
 * What uploadFile reads from: a Blob (a browser File), bytes in memory, or a
 * stream / async iterable of chunks (then the size must be given). Blobs and
 * arrays are read part by part on demand; streams are read once, in order,
 * holding only the parts in flight.
 */
export type UploadSource = Blob | Uint8Array | ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>;

export interface PartReader {
  readonly size: number;
  /** Part `n` (1-based) of `partSize` bytes; parts must be asked for in increasing order. */
  read(n: number, partSize: number): Promise<Uint8Array | Blob>;
}

export function partReader(source: UploadSource, size?: number): PartReader {
  if (source instanceof Uint8Array) {
    return { size: source.byteLength, read: async (n, ps) => source.subarray((n - 1) * ps, n * ps) };
  }
  if (typeof Blob !== 'undefined' && source instanceof Blob) {
    return { size: source.size, read: async (n, ps) => source.slice((n - 1) * ps, n * ps) };
  }
  if (size === undefined || !Number.isSafeInteger(size) || size < 0) {
    throw new ClientError('PROTOCOL', 'uploadFile needs options.size for a stream source');
  }
  return sequentialReader(toIterator(source as ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>), size);
}

function toIterator(source: ReadableStream<Uint8Array> | AsyncIterable<Uint8Array>): AsyncIterator<Uint8Array> {
  if (Symbol.asyncIterator in source) return (source as AsyncIterable<Uint8Array>)[Symbol.asyncIterator]();
  const reader = (source as ReadableStream<Uint8Array>).getReader();
  return {
    next: () => reader.read() as Promise<IteratorResult<Uint8Array>>,
    return: async () => {
      await reader.cancel();
      return { done: true, value: undefined };
    },
  };
}

/** Cuts a stream into parts of exactly partSize bytes (the last one shorter), one copy per part. */
function sequentialReader(chunks: AsyncIterator<Uint8Array>, size: number): PartReader {
  let leftover: Uint8Array | undefined;
  let nextPart = 1;
  let queue = Promise.resolve();
  const take = async (n: number, partSize: number): Promise<Uint8Array> => {
    if (n !== nextPart) throw new Error(`stream parts are read in order: asked ${n}, next is ${nextPart}`);
    nextPart++;
    const want = Math.min(partSize, size - (n - 1) * partSize);
    const part = new Uint8Array(want);
    let filled = 0;
    while (filled < want) {
      let chunk = leftover;
      leftover = undefined;
      if (!chunk) {
        const { done, value } = await chunks.next();
        if (done) throw new ClientError('PROTOCOL', `The source ended after ${(n - 1) * partSize + filled} of ${size} bytes`);
        chunk = value;
      }
      const used = Math.min(chunk.byteLength, want - filled);
      part.set(chunk.subarray(0, used), filled);
      filled += used;
      if (used < chunk.byteLength) leftover = chunk.subarray(used);
    }
    return part;
  };
  return {
    size,
    // Serialized: concurrent workers take turns reading.
    read(n, partSize) {
      const result = queue.then(() => take(n, partSize));
      queue = result.then(
        () => undefined,
        () => undefined,
      );
      return result;
    },
  };
}
