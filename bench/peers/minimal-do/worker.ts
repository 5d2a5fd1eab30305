import { DurableObject } from 'cloudflare:workers';

/**
 * Peer (a), the runtime's own limit: one Durable Object per room that appends
 * each message to SQLite and broadcasts it over hibernatable WebSockets. No
 * auth, no validation beyond JSON.parse, no per-user sync log. It speaks the
 * bench peer protocol (bench/peers/protocol.ts):
 *   up:   {"t":"send","id":"…","text":"…"}       down: {"t":"ack","id":"…","seq":n}
 *   down: {"t":"msg","seq":n,"from":"…","text":"…"} to every socket of the room
 * The ack leaves after the write is durable: the output gate holds it, exactly
 * as for Edgegram's sends.
 *
 * It is also the plain-R2 baseline of the media scenario, R2 calls and
 * nothing else (no auth, no hashing, no bookkeeping):
 *   PUT  /r2/<key>                      the body into the bucket, one put
 *   POST /r2/<key>?uploads              createMultipartUpload → {uploadId}
 *   PUT  /r2/<key>?uploadId=…&part=n    the body as part n → {partNumber, etag}
 *   POST /r2/<key>?uploadId=…           complete, body [{partNumber, etag}]
 *   GET  /r2/<key>                      the object, streamed
 */
type Env = { ROOM: DurableObjectNamespace<MinimalRoom>; BUCKET: R2Bucket };

export class MinimalRoom extends DurableObject<Env> {
  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    ctx.setWebSocketAutoResponse(new WebSocketRequestResponsePair('{"t":"ping"}', '{"t":"pong"}'));
    ctx.storage.sql.exec(
      'CREATE TABLE IF NOT EXISTS messages (seq INTEGER PRIMARY KEY, sender TEXT NOT NULL, text TEXT NOT NULL, date INTEGER NOT NULL)',
    );
  }

  override async fetch(request: Request): Promise<Response> {
    const user = new URL(request.url).searchParams.get('user') ?? 'anon';
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server);
    server.serializeAttachment({ user });
    return new Response(null, { status: 101, webSocket: client });
  }

  override async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    if (typeof message !== 'string') return;
    const frame = JSON.parse(message) as { t?: string; id?: string; text?: string };
    if (frame.t !== 'send') return;
    const { user } = ws.deserializeAttachment() as { user: string };
    const text = String(frame.text ?? '');
    const row = this.ctx.storage.sql
      .exec<{ seq: number }>('INSERT INTO messages (sender, text, date) VALUES (?, ?, ?) RETURNING seq', user, text, Date.now())
      .one();
    ws.send(JSON.stringify({ t: 'ack', id: frame.id, seq: row.seq }));
    const out = JSON.stringify({ t: 'msg', seq: row.seq, from: user, text });
    for (const peer of this.ctx.getWebSockets()) {
      try {
        peer.send(out);
      } catch {
        // closed meanwhile
      }
    }
  }

  override async webSocketClose(ws: WebSocket, code: number): Promise<void> {
    try {
      ws.close(code === 1005 || code === 1006 ? 1000 : code, 'bye');
    } catch {
      // already closed
    }
  }
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname.startsWith('/r2/')) return plainR2(request, env.BUCKET, url.pathname.slice('/r2/'.length));
    if (url.pathname !== '/connect' || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade at /connect?room=…&user=…', { status: 400 });
    }
    const room = url.searchParams.get('room') ?? 'default';
    return env.ROOM.get(env.ROOM.idFromName(room)).fetch(request);
  },
} satisfies ExportedHandler<Env>;

/** Bodies go to R2 as they arrive (their Content-Length gives R2 the known length it needs); objects come back as R2 streams them. */
async function plainR2(request: Request, bucket: R2Bucket, key: string): Promise<Response> {
  const query = new URL(request.url).searchParams;
  const uploadId = query.get('uploadId');
  if (request.method === 'POST' && query.has('uploads')) {
    return Response.json({ uploadId: (await bucket.createMultipartUpload(key)).uploadId });
  }
  if (request.method === 'PUT' && uploadId) {
    const part = await bucket.resumeMultipartUpload(key, uploadId).uploadPart(Number(query.get('part')), request.body!);
    return Response.json(part);
  }
  if (request.method === 'POST' && uploadId) {
    const parts = (await request.json()) as R2UploadedPart[];
    const object = await bucket.resumeMultipartUpload(key, uploadId).complete(parts);
    return Response.json({ key, size: object.size });
  }
  if (request.method === 'PUT') {
    const object = await bucket.put(key, request.body);
    return Response.json({ key, size: object?.size ?? 0 });
  }
  if (request.method === 'GET') {
    const object = await bucket.get(key);
    if (!object) return new Response('no such object', { status: 404 });
    return new Response(object.body, { headers: { 'content-length': String(object.size) } });
  }
  return new Response('see worker.ts for the /r2/ routes', { status: 405 });
}
