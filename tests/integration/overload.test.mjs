// Overload (issue 10): a group whose sockets fall behind slows its senders (503 +
// Retry-After) instead of closing sockets, and loses nothing it acknowledged; a burst of
// password hashing (registrations) does not delay other sockets' pongs.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer, api, deviceId } from '../lib/server.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });

async function guest(server, n) {
  const r = await api(server.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(n) } });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

function open(server, token) {
  const ws = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${token}&ack=1`);
  const seqs = new Set();
  let closed = null;
  ws.on('message', (d) => {
    const f = JSON.parse(d.toString());
    if (f.type === 'singleChat' && f.data?.seq > 0) seqs.add(f.data.seq);
  });
  ws.on('close', (code) => { closed = code; });
  return { ws, seqs, get closed() { return closed; }, opened: new Promise((r, j) => { ws.on('open', r); ws.on('error', j); }) };
}

test('a backlogged group slows its senders and closes no socket; everything acknowledged arrives', async () => {
  const server = await startServer({ extraArgs: ['--backlog-bytes', '32768', '--send-per-user-10s', '0'] });
  servers.push(server);
  const group = server.demoGroup;
  const members = [];
  for (let i = 0; i < 6; i++) {
    const g = await guest(server, 7000 + i);
    const j = await api(server.base, 'POST', '/api/chat/groupInviteUser', { token: g.token, body: { group_id: group, inviteuser_id: -1 } });
    assert.equal(j.status, 200, j.text);
    members.push(g);
  }
  const sender = members.pop();
  const socks = members.map((m) => open(server, m.token));
  await Promise.all(socks.map((s) => s.opened));
  for (const s of socks) s.ws._socket.pause();   // every reader stops: the server falls behind them all

  const acked = [];
  let refused = 0, retryAfter = null;
  const text = 'x'.repeat(7000);
  for (let i = 0; i < 4000 && refused < 5; i++) {
    const r = await fetch(`${server.base}/api/chat/socket/sendmessage`, {
      method: 'POST', headers: { token: sender.token, 'content-type': 'application/json' },
      body: JSON.stringify({ sendto_id: group, chatType: 'group', type: 'text', data: `${i} ${text}`, client_msg_id: `o-${i}` }),
    });
    const body = await r.json();
    if (r.status === 200) acked.push(body.data.seq);
    else {
      assert.equal(r.status, 503, JSON.stringify(body));
      assert.equal(body.msg, 'fail');
      retryAfter = r.headers.get('retry-after');
      refused++;
    }
  }
  assert.ok(refused > 0, `the server refused sends once behind (acknowledged ${acked.length})`);
  assert.ok(Number(retryAfter) >= 1, `503 carries Retry-After (${retryAfter})`);
  assert.ok(socks.every((s) => s.closed === null), 'no socket was closed');

  for (const s of socks) s.ws._socket.resume();
  const deadline = Date.now() + 20000;
  while (Date.now() < deadline && !socks.every((s) => acked.every((q) => s.seqs.has(q)))) await new Promise((r) => setTimeout(r, 100));
  for (const s of socks) {
    const missing = acked.filter((q) => !s.seqs.has(q));
    assert.equal(missing.length, 0, `a member missed ${missing.length} of ${acked.length} acknowledged messages`);
    assert.equal(s.closed, null);
  }
  // Once the readers caught up, sending works again.
  const again = await api(server.base, 'POST', '/api/chat/socket/sendmessage',
    { token: sender.token, body: { sendto_id: group, chatType: 'group', type: 'text', data: 'caught up' } });
  assert.equal(again.status, 200, again.text);
  for (const s of socks) s.ws.close();
});

test('a burst of logins and registrations (argon2id) does not delay other sockets\' pongs (p90) by more than 50 ms', async () => {
  const server = await startServer();
  servers.push(server);
  const pass = { password: 'burstpass1', repassword: 'burstpass1' };
  for (let i = 0; i < 12; i++) {
    const r = await api(server.base, 'POST', '/api/regChat', { body: { username: `login${i}`, ...pass } });
    assert.equal(r.status, 200, r.text);
  }
  const g = await guest(server, 7100);
  const s = open(server, g.token);
  await s.opened;
  const pongs = [];
  s.ws.on('message', (d) => { const f = JSON.parse(d.toString()); if (f.type === 'pong') pongs.push(performance.now()); });
  // One ping every 10 ms; the round trip of each, measured over `ms`.
  async function rtts(ms) {
    const out = [];
    const end = performance.now() + ms;
    while (performance.now() < end) {
      const n = pongs.length;
      const t0 = performance.now();
      s.ws.send(JSON.stringify({ type: 'ping' }));
      while (pongs.length === n && performance.now() - t0 < 1000) await new Promise((r) => setImmediate(r));
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 10));
    }
    return out.sort((a, b) => a - b);
  }
  const base = await rtts(500);
  const burst = Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2
    ? api(server.base, 'POST', '/api/loginChat', { body: { username: `login${i >> 1}`, password: pass.password } })
    : api(server.base, 'POST', '/api/regChat', { body: { username: `burst${i}`, ...pass } }))));
  const during = await rtts(1500);
  const done = await burst;
  assert.ok(done.every((r) => r.status === 200), done.map((r) => r.text).join('\n'));
  // Hashing on the socket thread would hold most pongs behind a 50-100 ms hash, so the 90th
  // percentile catches it; a single scheduler hiccup on a loaded 2-core CI machine does not
  // (one such run saw a 105 ms worst with a 52 ms idle worst). The worst still has a ceiling.
  const pct = (a, p) => a[Math.min(a.length - 1, Math.floor(a.length * p))];
  const p90 = pct(during, 0.9), baseP90 = pct(base, 0.9);
  const worst = during[during.length - 1], baseWorst = base[base.length - 1];
  const seen = `p90 ${p90.toFixed(1)} ms, worst ${worst.toFixed(1)} ms (idle p90 ${baseP90.toFixed(1)} ms, worst ${baseWorst.toFixed(1)} ms)`;
  assert.ok(p90 <= baseP90 + 50, `pong round trips during the burst: ${seen}`);
  assert.ok(worst <= baseWorst + 250, `pong round trips during the burst: ${seen}`);
  s.ws.close();
});
