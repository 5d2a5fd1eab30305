/**
 * Peer (d): Bun's built-in WebSocket pub/sub (uWebSockets underneath), run by
 * the `bun` binary from npm. Rooms are topics; messages kept in memory.
 */
import { exitWithParent, ready, type SendFrame } from './protocol.js';

type Data = { room: string; user: string };
type BunSocket = { data: Data; send(m: string): void; subscribe(topic: string): void };
type BunServer = { port: number; upgrade(req: Request, opts: { data: Data }): boolean; publish(topic: string, m: string): void };
declare const Bun: {
  serve(options: {
    hostname: string;
    port: number;
    fetch(req: Request, server: BunServer): Response | undefined;
    websocket: {
      perMessageDeflate: boolean;
      open(ws: BunSocket): void;
      message(ws: BunSocket, message: string | Uint8Array): void;
    };
  }): BunServer;
};

const logs = new Map<string, string[]>();
const server = Bun.serve({
  hostname: '127.0.0.1',
  port: 0,
  fetch(req, srv) {
    const url = new URL(req.url);
    const data = { room: url.searchParams.get('room') ?? 'default', user: url.searchParams.get('user') ?? 'anon' };
    return srv.upgrade(req, { data }) ? undefined : new Response('expected a WebSocket upgrade', { status: 400 });
  },
  websocket: {
    perMessageDeflate: false,
    open(ws) {
      ws.subscribe(ws.data.room);
    },
    message(ws, message) {
      const text = typeof message === 'string' ? message : new TextDecoder().decode(message);
      if (text === '{"t":"ping"}') return ws.send('{"t":"pong"}');
      const frame = JSON.parse(text) as SendFrame;
      if (frame.t !== 'send') return;
      let log = logs.get(ws.data.room);
      if (!log) logs.set(ws.data.room, (log = []));
      log.push(frame.text);
      const seq = log.length;
      ws.send(JSON.stringify({ t: 'ack', id: frame.id, seq }));
      // server.publish reaches every subscriber, the sender included (ws.publish would skip it).
      server.publish(ws.data.room, JSON.stringify({ t: 'msg', seq, from: ws.data.user, text: frame.text }));
    },
  },
});

ready(server.port);
exitWithParent(() => process.exit(0));
