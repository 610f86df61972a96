// The real server over real sockets: /ws auth, frames, limits, fan-out, kicks, drain.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, api, deviceId, webRoot } from '../lib/server.mjs';

let server;
// One sender floods a group on purpose (the slow consumer): the per-user send limit is off.
before(async () => { server = await startServer({ extraArgs: ['--send-per-user-10s', '0'] }); });
after(async () => { await server?.stop(); });

let n = 0;
async function guest() {
  const r = await api(server.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(++n) } });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

// Opens /ws and collects frames and the close event.
function connect(token, headers = {}) {
  const url = `ws://127.0.0.1:${server.port}/ws` + (token === undefined ? '' : `?token=${token}`);
  const ws = new WebSocket(url, { headers });
  const frames = [];
  const waiters = [];
  ws.on('message', (d) => {
    frames.push(JSON.parse(d.toString()));
    waiters.splice(0).forEach((w) => w());
  });
  const closed = new Promise((resolve) => ws.on('close', (code, reason) => resolve({ code, reason: reason.toString() })));
  const opened = new Promise((resolve, reject) => { ws.on('open', resolve); ws.on('error', reject); });
  async function next(pred = () => true, timeout = 5000) {
    const start = Date.now();
    for (;;) {
      const i = frames.findIndex(pred);
      if (i >= 0) return frames.splice(i, 1)[0];
      if (Date.now() - start > timeout) throw new Error('no matching frame; have ' + JSON.stringify(frames));
      await new Promise((r) => { waiters.push(r); setTimeout(r, 50); });
    }
  }
  return { ws, frames, closed, opened, next };
}

test('missing or invalid token: fail frame, then close 4002', async () => {
  for (const token of [undefined, 'nope', 'f'.repeat(64)]) {
    const c = connect(token);
    const f = await c.next();
    assert.deepEqual(f, { msg: 'fail', data: 'Token 令牌不合法！' });
    assert.equal((await c.closed).code, 4002);
  }
});

test('valid token: welcome, ping/pong, malformed JSON gets an error and the socket stays', async () => {
  const g = await guest();
  const c = connect(g.token);
  await c.opened;
  assert.equal((await c.next()).type, 'system');
  c.ws.send(JSON.stringify({ type: 'ping', token: g.token, timestamp: Date.now() }));
  assert.equal((await c.next((f) => f.type === 'pong')).type, 'pong');
  c.ws.send('{this is not json');
  const err = await c.next((f) => f.type === 'error');
  assert.equal(err.data, 'invalid JSON');
  c.ws.send(JSON.stringify({ type: 'ping' }));
  await c.next((f) => f.type === 'pong');
  c.ws.close();
  await c.closed;
});

test('oversized frame: close 1009, server keeps running', async () => {
  const g = await guest();
  const c = connect(g.token);
  await c.opened;
  c.ws.send('x'.repeat(70 * 1024));
  assert.equal((await c.closed).code, 1009);
  await guest();   // still serving
});

test('a foreign Origin cannot open the socket', async () => {
  const g = await guest();
  const c = connect(g.token, { Origin: 'http://evil.example' });
  await assert.rejects(c.opened, /403/);
  const same = connect(g.token, { Origin: `http://127.0.0.1:${server.port}` });
  await same.opened;
  same.ws.close();
});

test('group messages fan out to other members with the same id and seq', async () => {
  const a = await guest();
  const b = await guest();
  const gid = server.demoGroup;
  for (const u of [a, b]) {
    const r = await api(server.base, 'POST', '/api/chat/groupInviteUser',
      { token: u.token, body: { group_id: gid, user_id: u.id, inviteuser_id: -1 } });
    assert.equal(r.status, 200, r.text);
  }
  const cb = connect(b.token);
  await cb.opened;
  await cb.next((f) => f.type === 'system');
  const r = await api(server.base, 'POST', '/api/chat/socket/sendmessage', {
    token: a.token,
    body: { sendto_id: gid, chatType: 'group', type: 'text', data: '你好', options: '', client_msg_id: 'k1' },
  });
  assert.equal(r.status, 200, r.text);
  const f = await cb.next((x) => x.type === 'singleChat' && x.data.data === '你好');
  assert.equal(f.data.id, r.json.data.id);
  assert.equal(f.data.seq, r.json.data.seq);
  assert.equal(f.data.chatType, 'group');
  // Retried send: same message back, no second delivery.
  const again = await api(server.base, 'POST', '/api/chat/socket/sendmessage', {
    token: a.token,
    body: { sendto_id: gid, chatType: 'group', type: 'text', data: '你好', options: '', client_msg_id: 'k1' },
  });
  assert.equal(again.json.data.id, r.json.data.id);
  await new Promise((res) => setTimeout(res, 300));
  assert.equal(cb.frames.filter((x) => x.type === 'singleChat' && x.data.id === r.json.data.id).length, 0);
  cb.ws.close();
});

// The bound on a socket's write queue (4 MiB): a reader that stops reading is closed
// with 4008 while the frame being written stays alive until its write completes
// (it used to be freed under the write); everyone else keeps receiving.
test('a reader that stops reading is closed with 4008 at the bound; others keep receiving', async () => {
  const [slowUser, fastUser, sender] = [await guest(), await guest(), await guest()];
  const gid = server.demoGroup;
  for (const u of [slowUser, fastUser, sender]) {
    const r = await api(server.base, 'POST', '/api/chat/groupInviteUser',
      { token: u.token, body: { group_id: gid, user_id: u.id, inviteuser_id: -1 } });
    assert.equal(r.status, 200, r.text);
  }
  const slow = connect(slowUser.token);
  const fast = connect(fastUser.token);
  await Promise.all([slow.opened, fast.opened]);
  await slow.next((f) => f.type === 'system');
  await fast.next((f) => f.type === 'system');
  slow.ws._socket.pause();   // stop reading: the kernel buffers fill, then the server's queue
  let slowCode = null;
  slow.closed.then(({ code }) => { slowCode = code; });

  const big = 'x'.repeat(7900);
  // ~13 MB of frames: past the 4 MiB bound plus what the kernel buffers on loopback
  // (measured: ~4 MB reach the paused reader before the close).
  const total = 1600;
  let sent = 0;
  async function worker(w) {
    for (let i = w; i < total; i += 16) {
      const r = await api(server.base, 'POST', '/api/chat/socket/sendmessage', {
        token: sender.token,
        body: { sendto_id: gid, chatType: 'group', type: 'text', data: `${i}:${big}`, options: '', client_msg_id: `slow-${i}` },
      });
      assert.equal(r.status, 200, r.text);
      sent++;
    }
  }
  await Promise.all(Array.from({ length: 16 }, (_, w) => worker(w)));
  assert.equal(sent, total);

  // The fast reader got every frame, whole.
  const seen = new Set();
  const start = Date.now();
  while (seen.size < total && Date.now() - start < 20000) {
    const f = await fast.next((x) => x.type === 'singleChat' && x.data.data?.endsWith(big), 20000);
    seen.add(f.data.data.split(':')[0]);
  }
  assert.equal(seen.size, total);

  // Reading again, the slow one gets what was under way, then the 4008 close.
  slow.ws._socket.resume();
  const { code } = await slow.closed;
  assert.equal(code, 4008);
  assert.equal(slowCode, 4008);
  for (const f of slow.frames.filter((x) => x.type === 'singleChat')) {
    assert.ok(f.data.data.endsWith(big), 'every frame the slow reader got is whole');
  }
  fast.ws.send(JSON.stringify({ type: 'ping' }));
  await fast.next((f) => f.type === 'pong');
  fast.ws.close();
  await guest();   // still serving
});

test('a second socket for the same account closes the first with 4001, not the reverse', async () => {
  const g = await guest();
  const first = connect(g.token);
  await first.opened;
  await first.next((f) => f.type === 'system');
  const second = connect(g.token);
  await second.opened;
  await second.next((f) => f.type === 'system');
  assert.equal((await first.closed).code, 4001);
  // The newer socket still works after the older one went away.
  second.ws.send(JSON.stringify({ type: 'ping' }));
  await second.next((f) => f.type === 'pong');
  second.ws.close();
});

test('HTTP: envelope, limits and static files', async () => {
  const bad = await api(server.base, 'POST', '/api/visitorRegister', { body: '{broken' });
  assert.equal(bad.status, 400);
  assert.equal(bad.json.msg, 'fail');
  const noTok = await api(server.base, 'GET', '/api/chat/grouplist/1');
  assert.deepEqual(noTok.json, { msg: 'fail', data: 'Token 令牌不合法！' });
  const big = await api(server.base, 'POST', '/api/visitorRegister', { body: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(big.status, 413);
  const idx = await fetch(server.base + '/', { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(idx.status, 200);
  assert.match(await idx.text(), /id="composer"/);
  const trav = await fetch(server.base + '/../../etc/passwd');
  assert.notEqual(trav.status, 200);
  const wasmName = JSON.parse(readFileSync(path.join(webRoot, 'manifest.json'), 'utf8'))['app.wasm'];
  const wasm = await fetch(server.base + '/' + wasmName, { headers: { 'accept-encoding': 'gzip' } });
  assert.equal(wasm.headers.get('content-type'), 'application/wasm');
  assert.equal(wasm.headers.get('content-encoding'), 'gzip');
  const decoded = (await wasm.arrayBuffer()).byteLength;   // fetch decodes gzip
  assert.equal(Number(wasm.headers.get('x-decoded-length')), decoded, 'the loading bar knows the total');
});

test('SIGTERM closes sockets with 1001', async () => {
  const own = await startServer();
  const r = await api(own.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(900) } });
  const ws = new WebSocket(`ws://127.0.0.1:${own.port}/ws?token=${r.json.data.token}`);
  await new Promise((res) => ws.on('message', res));
  const closed = new Promise((res) => ws.on('close', (code) => res(code)));
  own.proc.kill('SIGTERM');
  assert.equal(await closed, 1001);
  await own.stop();
});
