/**
 * A Bot API call's multipart parameters (workers/bot-api/params.ts): read as
 * the body streams, files handed to the caller's consumer wherever they sit
 * in the form, Telegram's 400 for a form it cannot read and 413 past 50 MB.
 */
import { describe, expect, test } from 'vitest';
import { BotApiError } from '../../../services/bot-api/errors.js';
import { MAX_FORM_BYTES, readBotParams, type FileParam } from '../../../workers/bot-api/params.js';

const enc = new TextEncoder();

function formRequest(body: ReadableStream<Uint8Array> | Uint8Array, headers: Record<string, string> = {}): Request {
  return new Request('https://edgegram.test/bot1:x/sendDocument?chat_id=1&caption=query', {
    method: 'POST',
    body,
    headers: { 'content-type': 'multipart/form-data; boundary=B', ...headers },
    // Node's fetch wants this for a streamed body; workerd ignores it.
    duplex: 'half',
  } as RequestInit);
}

const field = (name: string, value: string) => `--B\r\ncontent-disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
const file = (name: string, content: string) => `--B\r\ncontent-disposition:form-data;name="${name}";filename=${name}.bin\r\n\r\n${content}\r\n`;

/** Reads the file's bytes and stands for it by a description. */
const describeFile: FileParam = async (part, bytes) => {
  let text = '';
  for await (const piece of bytes) text += new TextDecoder().decode(piece);
  return `<${part.filename}: ${text}>`;
};

async function refusal(promise: Promise<unknown>): Promise<{ code: number; text: string }> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BotApiError);
  return { code: (err as BotApiError).errorCode, text: (err as BotApiError).description };
}

describe('multipart Bot API parameters', () => {
  test('a body value wins over the query, a later part over an earlier one; files may come before or after the fields', async () => {
    const body = enc.encode(file('document', 'abc') + field('caption', 'form') + field('chat_id', '2') + file('thumbnail', 'xyz') + '--B--');
    expect(await readBotParams(formRequest(body), describeFile)).toEqual({
      chat_id: '2',
      caption: 'form',
      document: '<document.bin: abc>',
      thumbnail: '<thumbnail.bin: xyz>',
    });
  });

  test('a file the method does not take is dropped, with any earlier value of its name', async () => {
    const body = enc.encode(field('document', 'an id') + file('document', 'abc') + field('after', 'kept') + '--B--');
    expect(await readBotParams(formRequest(body), async () => undefined)).toEqual({ chat_id: '1', caption: 'query', after: 'kept' });
  });

  test("a form it cannot read is Telegram's 400; no boundary at all too", async () => {
    const cut = enc.encode(field('chat_id', '2') + '--B\r\ncontent-disposition: form-data; name="document"; filename="a"\r\n\r\nabc');
    const cannot = { code: 400, text: "Bad Request: can't parse multipart/form-data request" };
    expect(await refusal(readBotParams(formRequest(cut), describeFile))).toEqual(cannot);
    expect(await refusal(readBotParams(formRequest(enc.encode('x'), { 'content-type': 'multipart/form-data' }), describeFile))).toEqual(cannot);
  });

  test('past 50 MB a streamed body is 413, seen by the file consumer mid-file; a declared one before a byte is read', async () => {
    let sent = 0;
    const head = enc.encode('--B\r\ncontent-disposition: form-data; name="document"; filename="big"\r\n\r\n');
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        const chunk = sent === 0 ? head : new Uint8Array(1024 * 1024);
        sent += chunk.length;
        controller.enqueue(chunk);
      },
    });
    let consumerSaw: unknown;
    let consumed = 0;
    const consumer: FileParam = async (_, bytes) => {
      try {
        for await (const piece of bytes) consumed += piece.length;
      } catch (err) {
        consumerSaw = err;
        throw err;
      }
    };
    expect(await refusal(readBotParams(formRequest(body), consumer))).toEqual({ code: 413, text: 'Request Entity Too Large' });
    expect(consumerSaw).toBeInstanceOf(BotApiError);
    expect(consumed).toBeLessThanOrEqual(MAX_FORM_BYTES);
    expect(sent).toBeLessThan(MAX_FORM_BYTES + 2 * 1024 * 1024);

    const declared = formRequest(enc.encode(field('a', '1') + '--B--'), { 'content-length': String(MAX_FORM_BYTES + 1) });
    expect(await refusal(readBotParams(declared, describeFile))).toEqual({ code: 413, text: 'Request Entity Too Large' });
  });
});
