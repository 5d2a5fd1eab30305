import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { putStreamed, zipStream, type ArchiveEntry } from '../../../services/account-lifecycle/export-archive.js';

/** An R2 bucket in memory: what putStreamed calls, recording each part's size. */
function memoryBucket() {
  const objects = new Map<string, Uint8Array>();
  const partSizes: number[] = [];
  let aborted = 0;
  const concat = (chunks: Uint8Array[]) => {
    const out = new Uint8Array(chunks.reduce((n, c) => n + c.byteLength, 0));
    let at = 0;
    for (const c of chunks) (out.set(c, at), (at += c.byteLength));
    return out;
  };
  const bucket = {
    put: async (key: string, bytes: Uint8Array) => void objects.set(key, bytes.slice()),
    createMultipartUpload: async (key: string) => {
      const parts = new Map<number, Uint8Array>();
      return {
        uploadPart: async (n: number, bytes: Uint8Array) => {
          partSizes.push(bytes.byteLength);
          parts.set(n, bytes.slice());
          return { partNumber: n, etag: String(n) };
        },
        complete: async (list: Array<{ partNumber: number }>) => void objects.set(key, concat(list.map((p) => parts.get(p.partNumber)!))),
        abort: async () => void (aborted += 1),
      };
    },
  };
  return { bucket: bucket as unknown as R2Bucket, objects, partSizes, aborted: () => aborted };
}

async function* chunksOf(text: string, size: number): AsyncGenerator<Uint8Array> {
  const bytes = new TextEncoder().encode(text);
  for (let i = 0; i < bytes.byteLength; i += size) yield bytes.subarray(i, i + size);
}

async function* entries(list: ArchiveEntry[]): AsyncGenerator<ArchiveEntry> {
  yield* list;
}

describe('the export archive', () => {
  it('streams a zip into equal parts and a last smaller one, which unzips to the entries', async () => {
    const { bucket, objects, partSizes } = memoryBucket();
    const lines = Array.from({ length: 2_000 }, (_, i) => `{"id":${i},"text":"message ${i}"}\n`).join('');
    const random = Array.from({ length: 30_000 }, (_, i) => String.fromCharCode(33 + ((i * 7919) % 90))).join('');
    const size = await putStreamed(
      bucket,
      'a.zip',
      zipStream(
        entries([
          { name: 'result.json', compress: true, chunks: chunksOf('{"ok":true}', 4) },
          { name: 'chats/chat_1/messages.jsonl', compress: true, chunks: chunksOf(lines, 1_000) },
          { name: 'media/f/file.bin', compress: false, chunks: chunksOf(random, 777) },
        ]),
      ),
      4_096,
      'application/zip',
    );
    const zip = objects.get('a.zip')!;
    expect(zip.byteLength).toBe(size);
    expect(partSizes.slice(0, -1).every((n) => n === 4_096)).toBe(true);
    expect(partSizes.at(-1)!).toBeLessThanOrEqual(4_096);
    const files = unzipSync(zip);
    expect(strFromU8(files['result.json']!)).toBe('{"ok":true}');
    expect(strFromU8(files['chats/chat_1/messages.jsonl']!)).toBe(lines);
    expect(strFromU8(files['media/f/file.bin']!)).toBe(random);
  });

  it('a small archive is one put; a failure mid-way aborts the multipart upload', async () => {
    const small = memoryBucket();
    await putStreamed(small.bucket, 's.zip', zipStream(entries([{ name: 'x', compress: false, chunks: chunksOf('x', 1) }])), 4_096, 'application/zip');
    expect(small.partSizes).toEqual([]);
    expect(Object.keys(unzipSync(small.objects.get('s.zip')!))).toEqual(['x']);

    const failing = memoryBucket();
    async function* broken(): AsyncGenerator<Uint8Array> {
      yield new Uint8Array(10_000);
      throw new Error('R2 read failed');
    }
    await expect(putStreamed(failing.bucket, 'f.zip', zipStream(entries([{ name: 'y', compress: false, chunks: broken() }])), 4_096, 'application/zip')).rejects.toThrow('R2 read failed');
    expect(failing.aborted()).toBe(1);
    expect(failing.objects.has('f.zip')).toBe(false);
  });
});
