import { fileTypeFromBuffer } from 'file-type';

/** Enough for every format file-type detects at the start of a file, ID3-tagged audio included. */
const SNIFF_BYTES = 64 * 1024;

/**
 * The type of a stored object, from its first bytes (magic numbers), never
 * from what the client said. Unknown formats (text, HTML, random bytes) are
 * application/octet-stream.
 */
export async function sniffObject(bucket: R2Bucket, key: string): Promise<string> {
  const head = await bucket.get(key, { range: { offset: 0, length: SNIFF_BYTES } });
  if (!head) throw new Error(`object ${key} vanished before sniffing`);
  return sniffBytes(new Uint8Array(await head.arrayBuffer()));
}

export async function sniffBytes(bytes: Uint8Array): Promise<string> {
  try {
    return (await fileTypeFromBuffer(bytes))?.mime ?? 'application/octet-stream';
  } catch {
    // A malformed header file-type gives up on is just unknown bytes.
    return 'application/octet-stream';
  }
}
