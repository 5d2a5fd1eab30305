import { describe, expect, test } from 'vitest';
import { boundaryOf, parseMultipart } from '../../../workers/bot-api/multipart.js';

const enc = new TextEncoder();

describe('multipart parsing, as lenient as Telegram', () => {
  test('grammY-style parts: no spaces, unquoted filename, binary content kept byte for byte', async () => {
    const bytes = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 0x0d, 0x0a, 0x2d, 0x2d, 0x00, 0x80]);
    const body = new Uint8Array([
      ...enc.encode('--b0\r\ncontent-disposition:form-data;name="chat_id"\r\n\r\n42\r\n--b0\r\n'),
      ...enc.encode('content-disposition:form-data;name="photo";filename=a b.jpg\r\ncontent-type:application/octet-stream\r\n\r\n'),
      ...bytes,
      ...enc.encode('\r\n--b0--\r\n'),
    ]);
    const parts = parseMultipart(body, boundaryOf('multipart/form-data; boundary=b0')!);
    expect(parts[0]).toEqual(['chat_id', '42']);
    const [name, file] = parts[1]!;
    expect(name).toBe('photo');
    expect(file).toBeInstanceOf(File);
    expect((file as File).name).toBe('a b.jpg');
    expect(new Uint8Array(await (file as File).arrayBuffer())).toEqual(bytes);
  });

  test('standard parts with quoted values and a quoted boundary', () => {
    const form = '--"x"\r\n'.replace(/"/g, '');
    const body = enc.encode(`${form}Content-Disposition: form-data; name="text"\r\n\r\nhé "there"\r\n--x--`);
    expect(parseMultipart(body, boundaryOf('multipart/form-data; boundary="x"')!)).toEqual([['text', 'hé "there"']]);
  });
});
