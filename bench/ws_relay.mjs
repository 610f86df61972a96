// A plain relay on npm `ws`, the peer imchat is measured against in bench/server_bench.mjs.
// A client sends a text frame; the relay writes it to every other connected client (imchat
// does not echo a group message to its sender either), then answers the sender with an
// ack frame "A" (frames are ordered per socket, so the sender matches acks in FIFO order).
// "Acknowledged" thus means, as for imchat's 200 answer, "accepted and handed to every socket".
//
// Usage: node bench/ws_relay.mjs [--listen 127.0.0.1:0]   (prints "relay listening on HOST:PORT")
import { WebSocketServer } from 'ws';

const i = process.argv.indexOf('--listen');
const listen = i > 0 ? process.argv[i + 1] : '127.0.0.1:0';
const colon = listen.lastIndexOf(':');
const wss = new WebSocketServer({
  host: listen.slice(0, colon), port: Number(listen.slice(colon + 1)),
  perMessageDeflate: false, clientTracking: true, maxPayload: 64 * 1024,
});
// Self-test of the bench's bookkeeping only: IMCHAT_BENCH_RELAY_FAULTS="drop=N,dup=M" skips
// every Nth delivery and doubles every Mth (the bench must then report lost and duplicated).
const faults = Object.fromEntries((process.env.IMCHAT_BENCH_RELAY_FAULTS || '').split(',').filter(Boolean)
  .map((kv) => kv.split('=')).map(([k, v]) => [k, Number(v)]));
let deliveries = 0;
wss.on('connection', (ws) => {
  ws.on('error', () => {});
  ws.on('message', faults.drop || faults.dup ? (data, isBinary) => {
    for (const c of wss.clients) {
      if (c === ws || c.readyState !== 1) continue;
      deliveries++;
      if (faults.drop && deliveries % faults.drop === 0) continue;
      c.send(data, { binary: isBinary });
      if (faults.dup && deliveries % faults.dup === 0) c.send(data, { binary: isBinary });
    }
    ws.send('A');
  } : (data, isBinary) => {
    for (const c of wss.clients) if (c !== ws && c.readyState === 1) c.send(data, { binary: isBinary });
    ws.send('A');
  });
});
wss.on('listening', () => {
  const a = wss.address();
  process.stdout.write(`relay listening on ${a.address}:${a.port}\n`);
});
const stop = () => {
  for (const c of wss.clients) c.terminate();
  wss.close(() => process.exit(0));
  setTimeout(() => process.exit(0), 1000).unref();
};
process.on('SIGTERM', stop);
// The bench reads this process's RSS around opening idle sockets; it first asks for a full GC
// (when started with --expose-gc) so that garbage is not counted as, or against, socket memory.
process.on('SIGUSR2', () => { if (globalThis.gc) globalThis.gc(); });
process.on('SIGINT', stop);
