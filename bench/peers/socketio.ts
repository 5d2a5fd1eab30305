/** Peer (c): a Socket.IO chat server with rooms (what a team would pick instead), messages kept in memory. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Server } from 'socket.io';
import { exitWithParent, ready } from './protocol.js';

const logs = new Map<string, string[]>();
const http = createServer();
const io = new Server(http, { transports: ['websocket'], serveClient: false });

io.on('connection', (socket) => {
  const room = String(socket.handshake.query.room ?? 'default');
  const user = String(socket.handshake.query.user ?? 'anon');
  void socket.join(room);
  socket.on('send', (msg: { text: string }, ack?: (r: { seq: number }) => void) => {
    let log = logs.get(room);
    if (!log) logs.set(room, (log = []));
    log.push(msg.text);
    const seq = log.length;
    ack?.({ seq });
    io.to(room).emit('msg', { seq, from: user, text: msg.text });
  });
});

http.listen(0, '127.0.0.1', () => ready((http.address() as AddressInfo).port));
exitWithParent(() => process.exit(0));
