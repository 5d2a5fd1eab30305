/** Peer (b): a plain Node `ws` broadcast server with rooms, messages kept in memory. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { exitWithParent, ready, type SendFrame } from './protocol.js';

const rooms = new Map<string, { sockets: Set<WebSocket>; log: string[] }>();
const http = createServer((_req, res) => res.writeHead(400).end('expected a WebSocket upgrade'));
const wss = new WebSocketServer({ server: http, perMessageDeflate: false });

wss.on('connection', (ws, req) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const name = url.searchParams.get('room') ?? 'default';
  const user = url.searchParams.get('user') ?? 'anon';
  let room = rooms.get(name);
  if (!room) rooms.set(name, (room = { sockets: new Set(), log: [] }));
  const joined = room;
  joined.sockets.add(ws);
  ws.on('close', () => joined.sockets.delete(ws));
  ws.on('error', () => joined.sockets.delete(ws));
  ws.on('message', (data) => {
    const text = data.toString();
    if (text === '{"t":"ping"}') return ws.send('{"t":"pong"}');
    const frame = JSON.parse(text) as SendFrame;
    if (frame.t !== 'send') return;
    joined.log.push(frame.text);
    const seq = joined.log.length;
    ws.send(JSON.stringify({ t: 'ack', id: frame.id, seq }));
    const out = JSON.stringify({ t: 'msg', seq, from: user, text: frame.text });
    for (const peer of joined.sockets) peer.send(out);
  });
});

http.listen(0, '127.0.0.1', () => ready((http.address() as AddressInfo).port));
exitWithParent(() => process.exit(0));
