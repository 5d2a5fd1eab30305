import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { cutIntoParts, type PartBytes } from '../../r2/cut-parts.js';

/** One file of the archive: its path inside the zip and its bytes as they stream in. */
export type ArchiveEntry = { name: string; compress: boolean; chunks: AsyncIterable<Uint8Array> };

/**
 * The zip's bytes, pulled: each entry's chunks are pushed into fflate's
 * streaming Zip and what it produced so far is yielded before the next
 * chunk is read, so only a chunk (and deflate's window) is held at a time.
 */
export async function* zipStream(entries: AsyncIterable<ArchiveEntry>): AsyncGenerator<Uint8Array> {
  const out: Uint8Array[] = [];
  let failure: Error | null = null;
  const zip = new Zip((err, chunk) => {
    if (err) failure = err;
    else out.push(chunk);
  });
  const take = function* () {
    if (failure) throw failure;
    while (out.length > 0) yield out.shift()!;
  };
  for await (const entry of entries) {
    const file = entry.compress ? new ZipDeflate(entry.name, { level: 6 }) : new ZipPassThrough(entry.name);
    zip.add(file);
    for await (const chunk of entry.chunks) {
      file.push(chunk);
      yield* take();
    }
    file.push(new Uint8Array(0), true);
    yield* take();
  }
  zip.end();
  yield* take();
}

function joined(part: PartBytes): Uint8Array {
  const bytes = new Uint8Array(part.size);
  let at = 0;
  for (const chunk of part.chunks) {
    bytes.set(chunk, at);
    at += chunk.byteLength;
  }
  return bytes;
}

/**
 * Writes bytes of unknown length to R2 at `key`: one put when they end
 * within the first part, else a multipart upload of equal `partSize` parts
 * (R2's rule) and a last smaller one. One part is held at a time. On any
 * failure the multipart upload is aborted, so a retried run starts clean.
 * Answers the size written.
 */
export async function putStreamed(bucket: R2Bucket, key: string, bytes: AsyncIterable<Uint8Array>, partSize: number, contentType: string): Promise<number> {
  let upload: R2MultipartUpload | undefined;
  const parts: R2UploadedPart[] = [];
  const httpMetadata = { contentType };
  try {
    const { last, size } = await cutIntoParts(bytes, partSize, async (part) => {
      upload ??= await bucket.createMultipartUpload(key, { httpMetadata });
      parts.push(await upload.uploadPart(part.partNumber, joined(part)));
    });
    if (!upload) {
      await bucket.put(key, joined(last), { httpMetadata });
      return size;
    }
    if (last.size > 0) parts.push(await upload.uploadPart(last.partNumber, joined(last)));
    await upload.complete(parts);
    return size;
  } catch (err) {
    await upload?.abort().catch(() => {});
    throw err;
  }
}
