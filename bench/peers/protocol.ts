/**
 * The bench room protocol that peers (a), (b) and (d) speak over raw
 * WebSockets (Socket.IO, peer (c), carries the same fields in its events):
 *
 *   connect  GET /connect?room=<room>&user=<user>  (WebSocket upgrade)
 *   up       {"t":"send","id":"<id>","text":"<text>"}
 *   down     {"t":"ack","id":"<id>","seq":<n>}          to the sender, after the append
 *   down     {"t":"msg","seq":<n>,"from":"<user>","text":"<text>"}  to every socket of the room
 *   ping     {"t":"ping"} → {"t":"pong"}
 *
 * Like Edgegram, the sender gets an ack plus its own copy, and every other
 * socket of the chat one copy. Servers print `BENCH_READY {"port":n}` on
 * stdout once listening and exit when stdin closes.
 */
export type SendFrame = { t: 'send'; id: string; text: string };

export function ready(port: number): void {
  process.stdout.write(`BENCH_READY ${JSON.stringify({ port })}\n`);
}

export function exitWithParent(stop: () => void): void {
  process.stdin.resume();
  process.stdin.on('end', stop);
  process.on('SIGTERM', stop);
}
