import { env } from 'cloudflare:test';
import { describe, expect, test, vi } from 'vitest';
import { rotateSecret } from '../../d1/queries/secrets.js';
import { database } from '../../d1/db.js';
import { FILE_URL_PURPOSE } from '../../services/media/file-urls.js';
import { signFileUrl } from '../../r2/signed-urls.js';
import { errorCode, signup } from './helpers.js';
import { bytes, call, download, downloadAll, html, jpeg, sha256, svg, upload } from './media-helpers.js';

vi.setConfig({ testTimeout: 60_000 });

/** Uploads `data`, sends it as a document or photo from alice to bob, and returns bob's link to it. */
async function shared(data: Uint8Array, kind: 'document' | 'photo' = 'document', fileName = 'file.bin') {
  const [alice, bob] = [await signup(), await signup()];
  const file = await upload(alice, data, { file_name: fileName });
  const { message } = await call(alice, 'sendMedia', {
    peer: { user_id: bob.user.id },
    random_id: crypto.randomUUID(),
    media: { kind, file_id: file.id, file_name: fileName },
  });
  const link = await call(bob, 'getFileUrl', { chat_id: message.chat_id, message_id: message.id });
  return { alice, bob, file, message, url: link.url, data };
}

describe('ranged and conditional reads', () => {
  test('Range gives 206 with Content-Range: first bytes, open-ended, suffix, clamped end', async () => {
    const { url, data } = await shared(bytes(100_000, 5));
    const cases: [string, number, number][] = [
      ['bytes=0-9', 0, 10],
      ['bytes=99990-', 99_990, 10],
      ['bytes=-100', 99_900, 100],
      ['bytes=50000-999999', 50_000, 50_000],
    ];
    for (const [range, offset, length] of cases) {
      const res = await download(url, { range });
      expect(res.status, range).toBe(206);
      expect(res.headers.get('content-range')).toBe(`bytes ${offset}-${offset + length - 1}/100000`);
      expect(res.headers.get('content-length')).toBe(String(length));
      expect(new Uint8Array(await res.arrayBuffer())).toEqual(data.subarray(offset, offset + length));
    }
    const whole = await download(url);
    expect(whole.status).toBe(200);
    expect(whole.headers.get('accept-ranges')).toBe('bytes');
    expect(await sha256(await whole.arrayBuffer())).toBe(await sha256(data));
  });

  test('a range past the end is 416 RANGE_NOT_SATISFIABLE with the size', async () => {
    const { url } = await shared(bytes(1000, 6));
    for (const range of ['bytes=1000-', 'bytes=5000-6000', 'bytes=-0']) {
      const res = await download(url, { range });
      expect(res.status, range).toBe(416);
      expect(res.headers.get('content-range')).toBe('bytes */1000');
      expect(await errorCode(res)).toBe('RANGE_NOT_SATISFIABLE');
    }
    // Malformed or multiple ranges: the whole file, as RFC 9110 allows.
    for (const range of ['bytes=abc', 'items=0-1', 'bytes=0-1,5-6', 'bytes=9-3']) {
      expect((await downloadAll(url, { range })).status, range).toBe(200);
    }
  });

  test('a strong ETag: If-None-Match gives 304, If-Range honours the range only for the same entity', async () => {
    const { url, file, data } = await shared(bytes(5000, 7));
    const first = await download(url);
    const etag = first.headers.get('etag')!;
    expect(etag).toBe(`"${file.id}"`);
    expect(first.headers.get('cache-control')).toMatch(/^private, max-age=\d+, immutable$/);
    await first.arrayBuffer();
    const notModified = await download(url, { 'if-none-match': etag });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('etag')).toBe(etag);
    expect((await downloadAll(url, { 'if-none-match': '"something-else"' })).status).toBe(200);
    const same = await downloadAll(url, { range: 'bytes=0-3', 'if-range': etag });
    expect(same.status).toBe(206);
    const other = await download(url, { range: 'bytes=0-3', 'if-range': '"stale"' });
    expect(other.status).toBe(200);
    expect((await other.arrayBuffer()).byteLength).toBe(data.length);
  });

  test('repeat reads come from the edge cache, ranges included', async () => {
    const { url, data } = await shared(bytes(200_000, 8));
    expect((await downloadAll(url)).headers.get('x-edgegram-cache')).toBe('MISS');
    let hit: Response | undefined;
    for (let i = 0; i < 50 && !hit; i++) {
      const res = await download(url, { range: 'bytes=10-19' });
      if (res.headers.get('x-edgegram-cache') === 'HIT') hit = res;
      else {
        await res.arrayBuffer();
        await new Promise((r) => setTimeout(r, 50));
      }
    }
    expect(hit, 'the file reached the edge cache').toBeDefined();
    expect(hit!.status).toBe(206);
    expect(hit!.headers.get('content-range')).toBe('bytes 10-19/200000');
    expect(new Uint8Array(await hit!.arrayBuffer())).toEqual(data.subarray(10, 20));
    // Every link to the file shares the cached copy (the key has no signature); headers still come from the link.
    const full = await download(url);
    expect(full.headers.get('cache-control')).toMatch(/^private/);
    expect(await sha256(await full.arrayBuffer())).toBe(await sha256(data));
  });
});

describe('safe serving', () => {
  test('HTML and SVG are attachments of type application/octet-stream, with nosniff', async () => {
    for (const [data, name] of [
      [html(), 'page.html'],
      [svg(), 'image.svg'],
    ] as const) {
      const { url } = await shared(data, 'document', name);
      const res = await download(url);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('application/octet-stream');
      expect(res.headers.get('content-disposition')).toMatch(/^attachment; filename="/);
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      await res.arrayBuffer();
    }
  });

  test('images are inline with their sniffed type; odd file names are encoded', async () => {
    const { url } = await shared(jpeg(2000), 'photo', 'Ünïcode "quoted".jpg');
    const res = await download(url);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    expect(res.headers.get('content-disposition')).toBe(
      `inline; filename="_n_code _quoted_.jpg"; filename*=UTF-8''%C3%9Cn%C3%AFcode%20%22quoted%22.jpg`,
    );
    await res.arrayBuffer();
  });
});

describe('links are checked before anything is looked up', () => {
  async function link() {
    const s = await shared(bytes(100, 9));
    const url = new URL(s.url, 'https://x');
    return { ...s, url, path: url.pathname, exp: Number(url.searchParams.get('exp')), sig: url.searchParams.get('sig')! };
  }

  test('a forged, tampered or truncated signature is 403 FILE_URL_INVALID', async () => {
    const { path, exp, sig, url } = await link();
    const name = url.searchParams.get('name')!;
    expect(name).toBe('file.bin');
    // Each variant differs from the real link in exactly one way (the real one carries
    // the name, so a variant that dropped it would be wrong twice and prove less).
    const query = (q: { exp?: string | number; sig?: string; name?: string }) =>
      `${path}?${new URLSearchParams(Object.entries({ exp, sig, name, ...q }).map(([k, v]) => [k, String(v)])).toString()}`;
    expect((await downloadAll(query({}))).status, 'the real link').toBe(200);
    const [kid, mac] = sig.split('.') as [string, string];
    // Both of the MAC's last two characters carry data (the 43rd holds 4 bits plus 2 zero
    // bits), so this always changes the decoded MAC, whatever the signature is.
    const flipped = `${kid}.${mac.slice(0, -2)}${mac.endsWith('AA') ? 'BA' : 'AA'}`;
    // The same MAC spelled another way: the last character's 2 unused bits set. atob reads
    // the same bytes from it, so only a strict decoder refuses a link never handed out.
    const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const respelled = `${kid}.${mac.slice(0, -1)}${ALPHABET[ALPHABET.indexOf(mac.at(-1)!) ^ 1]}`;
    const variants = [
      path,
      `${path}?exp=${exp}&name=${name}`,
      query({ sig: flipped }),
      query({ sig: respelled }),
      query({ sig: sig.slice(0, -1) }),
      query({ exp: exp + 60 }),
      query({ name: 'evil.html' }),
      query({ sig: `deadbeef.${mac}` }),
      query({ exp: 'abc' }),
      // The same expiry spelled with leading zeros: one spelling per link (issue 14, finding 12).
      query({ exp: `0${exp}` }),
      query({ exp: `000${exp}` }),
      `${path.slice(0, -1)}${path.endsWith('0') ? '1' : '0'}${url.search}`,
    ];
    for (const v of variants) {
      const res = await download(v);
      expect(res.status, v).toBe(403);
      expect(await errorCode(res)).toBe('FILE_URL_INVALID');
    }
  });

  test('an expired link is 403; a valid link to a freed or unknown file is 404', async () => {
    const key = await rotateSecret(database(env.DB), FILE_URL_PURPOSE, Date.now());
    const past = Math.floor(Date.now() / 1000) - 1;
    const expired = await signFileUrl(key, 'a'.repeat(32), past, undefined);
    const res = await download(expired);
    expect(res.status).toBe(403);
    expect(await errorCode(res)).toBe('FILE_URL_INVALID');
    const unknown = await signFileUrl(key, 'b'.repeat(32), past + 3600, undefined);
    const gone = await download(unknown);
    expect(gone.status).toBe(404);
    expect(await errorCode(gone)).toBe('FILE_NOT_FOUND');
  });

  test('after a key rotation, links signed with the old key still work until they expire', async () => {
    const { url, data } = await link();
    await rotateSecret(database(env.DB), FILE_URL_PURPOSE, Date.now() + 1);
    const res = await download(url.pathname + url.search);
    expect(res.status).toBe(200);
    expect((await res.arrayBuffer()).byteLength).toBe(data.length);
  });
});
