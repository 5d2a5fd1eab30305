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
 */
type Env = { ROOM: DurableObjectNamespace<MinimalRoom> };

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
    if (url.pathname !== '/connect' || request.headers.get('upgrade')?.toLowerCase() !== 'websocket') {
      return new Response('expected a WebSocket upgrade at /connect?room=…&user=…', { status: 400 });
    }
    const room = url.searchParams.get('room') ?? 'default';
    return env.ROOM.get(env.ROOM.idFromName(room)).fetch(request);
  },
} satisfies ExportedHandler<Env>;
