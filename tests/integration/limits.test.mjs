// HTTP limits (issue 14) over raw sockets, at their default numbers: connections per client
// address (trust-proxy aware, WebSockets included), header size, body size, the upload limit
// at exactly 5 MiB and one byte over, and idle connections (slowloris, keep-alive) closed while
// a normal client keeps working. Every refusal is the JSON envelope with a reason.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer, deviceId } from '../lib/server.mjs';
import { connect, rawRequest, readResponse, closedWithin } from '../lib/raw_http.mjs';

const KiB = 1024, MiB = 1024 * 1024;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const servers = [];
const sockets = [];
after(async () => {
  for (const s of sockets) s.destroy();
  for (const s of servers) await s.stop();
});
async function server(extraArgs = []) {
  const s = await startServer({ extraArgs });
  servers.push(s);
  return s;
}
const get = (path, extra = '') => `GET ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}\r\n`;
const post = (path, body, extra = '') =>
  `POST ${path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n${extra}\r\n${body}`;
async function guest(s, n) {   // over a closed connection: nothing left counting against the address
  const r = await rawRequest(s.port, post('/api/visitorRegister', JSON.stringify({ deviceId: deviceId(n) })));
  assert.equal(r.status, 200, r.body);
  return r.json.data;
}
async function held(port, n) {
  const out = [];
  for (let i = 0; i < n; i++) { const s = await connect(port); s.on('error', () => {}); sockets.push(s); out.push(s); }
  return out;
}

test('connections per address: the 1000th is served, the 1001st gets 429 with the reason; a closed one frees a place', { timeout: 60000 }, async () => {
  const s = await server();
  const open = await held(s.port, 999);
  const last = await rawRequest(s.port, get('/healthz', 'Connection: close\r\n'));   // the 1000th
  assert.equal(last.status, 200, last.body);
  open.push(...await held(s.port, 1));
  const refused = await rawRequest(s.port, get('/healthz'));                         // the 1001st
  assert.equal(refused.status, 429);
  assert.deepEqual(refused.json, { msg: 'fail', data: '该地址打开的连接太多，请稍后再试：最多1000个' });
  assert.match(refused.headers['content-type'], /^application\/json/);
  open.pop().destroy();
  let ok = 0;
  for (let i = 0; i < 50 && ok !== 200; i++) { await sleep(50); ok = (await rawRequest(s.port, get('/healthz', 'Connection: close\r\n'))).status; }
  assert.equal(ok, 200);
  for (const c of open) c.destroy();
});

test('WebSockets count too, and behind --trust-proxy each client address is counted on its own', { timeout: 30000 }, async () => {
  const s = await server(['--max-conns-per-ip', '3', '--trust-proxy', '127.0.0.1/32']);
  const gs = [await guest(s, 1401), await guest(s, 1404)];   // one socket per account: a second one replaces the first
  const g = gs[0];
  const ws = [];
  for (let i = 0; i < 2; i++) {   // a proxy's sockets, each for client 203.0.113.7
    const w = new WebSocket(`ws://127.0.0.1:${s.port}/ws?token=${gs[i].token}&ack=1`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
    await new Promise((res, rej) => { w.once('open', res); w.once('error', rej); });
    ws.push(w);
  }
  const a = await held(s.port, 1);   // the proxy's keep-alive connection, now for 203.0.113.7
  const third = await readResponse(a[0], 5000, () => a[0].write(get('/healthz', 'X-Forwarded-For: 203.0.113.7\r\n')));
  assert.equal(third.status, 200, third.body);
  const fourth = await rawRequest(s.port, get('/healthz', 'X-Forwarded-For: 203.0.113.7\r\n'));
  assert.equal(fourth.status, 429);
  assert.equal(fourth.json.data, '该地址打开的连接太多，请稍后再试：最多3个');
  const other = await rawRequest(s.port, get('/healthz', 'X-Forwarded-For: 198.51.100.2\r\nConnection: close\r\n'));
  assert.equal(other.status, 200, 'another client behind the same proxy has its own count');
  const refusedWs = new WebSocket(`ws://127.0.0.1:${s.port}/ws?token=${g.token}&ack=1`, { headers: { 'X-Forwarded-For': '203.0.113.7' } });
  const status = await new Promise((res) => {
    refusedWs.once('unexpected-response', (_req, r) => res(r.statusCode));
    refusedWs.once('open', () => res(101));
    refusedWs.once('error', () => res(0));
  });
  assert.equal(status, 429);
  ws[0].close();
  await new Promise((r) => ws[0].once('close', r));
  let ok = 0;
  for (let i = 0; i < 50 && ok !== 200; i++) {
    await sleep(50);
    ok = (await rawRequest(s.port, get('/healthz', 'X-Forwarded-For: 203.0.113.7\r\nConnection: close\r\n'))).status;
  }
  assert.equal(ok, 200, 'a closed socket gives its place back');
  ws[1].close();
  refusedWs.terminate();
});

test('header: 16 KiB is served, one byte more is 431 with the reason', { timeout: 20000 }, async () => {
  const s = await server();
  const sized = (total) => {
    const base = get('/healthz', 'Connection: close\r\nX-Pad: \r\n');
    return get('/healthz', `Connection: close\r\nX-Pad: ${'a'.repeat(total - base.length)}\r\n`);
  };
  assert.equal(sized(16 * KiB).length, 16 * KiB);
  const fits = await rawRequest(s.port, sized(16 * KiB));
  assert.equal(fits.status, 200, fits.body);
  const over = await rawRequest(s.port, sized(16 * KiB + 1));
  assert.equal(over.status, 431);
  assert.deepEqual(over.json, { msg: 'fail', data: '请求头太大：最多16KB' });
});

test('body: a 1 MiB JSON body is served, one byte more is 413 in the envelope (also chunked)', { timeout: 20000 }, async () => {
  const s = await server();
  const json = JSON.stringify({ deviceId: deviceId(1402) });
  const fits = await rawRequest(s.port, post('/api/visitorRegister', json + ' '.repeat(MiB - json.length)));
  assert.equal(fits.status, 200, fits.body);
  const over = await rawRequest(s.port, post('/api/visitorRegister', json + ' '.repeat(MiB + 1 - json.length)));
  assert.equal(over.status, 413);
  assert.deepEqual(over.json, { msg: 'fail', data: '请求内容太大' });
  const chunk = 'x'.repeat(64 * KiB);
  let chunked = 'POST /api/visitorRegister HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\n\r\n';
  for (let i = 0; i < 17; i++) chunked += `${chunk.length.toString(16)}\r\n${chunk}\r\n`;   // 1 MiB + 64 KiB
  const overChunked = await rawRequest(s.port, chunked + '0\r\n\r\n');
  assert.equal(overChunked.status, 413);
  assert.equal(overChunked.json.msg, 'fail');
});

test('upload: a guest uploads an image of exactly 5 MiB; one byte more is 413 with the kind\'s limit', { timeout: 30000 }, async () => {
  const s = await server();
  const g = await guest(s, 1403);
  const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
  const image = (n) => Buffer.concat([png, Buffer.alloc(n - png.length)]);
  const up = async (bytes) => {
    const res = await fetch(`${s.base}/api/chat/upload?name=a.png`, { method: 'POST', headers: { token: g.token }, body: bytes,
      signal: AbortSignal.timeout(20000) });
    return { status: res.status, type: res.headers.get('content-type'), json: await res.json() };
  };
  const exact = await up(image(5 * MiB));
  assert.equal(exact.status, 200, JSON.stringify(exact.json));
  assert.equal(exact.json.data.kind, 'image');
  assert.equal(exact.json.data.size, 5 * MiB);
  const over = await up(image(5 * MiB + 1));
  assert.equal(over.status, 413);
  assert.match(over.type, /^application\/json/);
  assert.deepEqual(over.json, { msg: 'fail', data: '文件太大：图片不能超过5MB' });
});

test('slowloris: a header trickled byte by byte is cut at 10 s, a silent connection too; a normal client is served meanwhile', { timeout: 40000 }, async () => {
  const s = await server();
  const [slow, silent] = await held(s.port, 2);
  slow.write('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n');
  const trickle = setInterval(() => { if (!slow.destroyed) slow.write('X'); }, 300);
  const cut = closedWithin(slow, 15000);
  const cutSilent = closedWithin(silent, 15000);
  let served = 0, failed = 0;
  const normal = (async () => {
    for (let i = 0; i < 16; i++) {
      const r = await fetch(`${s.base}/healthz`, { signal: AbortSignal.timeout(3000) }).catch(() => null);
      if (r?.status === 200) served++; else failed++;
      await sleep(500);
    }
  })();
  try {
    const [ms, msSilent] = await Promise.all([cut, cutSilent]);
    assert.ok(ms >= 9000 && ms <= 12000, `trickling connection closed after ${ms} ms (want 10 s)`);
    assert.ok(msSilent >= 9000 && msSilent <= 12000, `silent connection closed after ${msSilent} ms (want 10 s)`);
  } finally {
    clearInterval(trickle);
  }
  await normal;
  assert.equal(failed, 0);
  assert.equal(served, 16);
});

test('--header-timeout-s and --keepalive-timeout-s: an idle kept-alive connection closes, a busy one stays', { timeout: 30000 }, async () => {
  const s = await server(['--header-timeout-s', '2', '--keepalive-timeout-s', '3']);
  const [slow, idle, busy] = await held(s.port, 3);
  slow.write('GET /healthz HTTP/1.1\r\nHost: a\r\n');
  const trickle = setInterval(() => { if (!slow.destroyed) slow.write('Y'); }, 200);
  const cut = closedWithin(slow, 6000);
  assert.equal((await readResponse(idle, 5000, () => idle.write(get('/healthz')))).status, 200);
  const idleCut = closedWithin(idle, 8000);
  for (let i = 0; i < 5; i++) {   // a request every 1.5 s on one connection: past 3 s in all, never idle 3 s
    assert.equal((await readResponse(busy, 5000, () => busy.write(get('/healthz')))).status, 200, `request ${i}`);
    await sleep(1500);
  }
  try {
    const ms = await cut;
    assert.ok(ms >= 1500 && ms <= 3500, `header cut after ${ms} ms (want 2 s)`);
    const idleMs = await idleCut;
    assert.ok(idleMs >= 2500 && idleMs <= 4500, `idle keep-alive closed after ${idleMs} ms (want 3 s)`);
  } finally {
    clearInterval(trickle);
  }
  assert.equal(busy.destroyed, false);
});
