// Issue 14, operations: /metrics (scrape, values move, closed to the public), --log-format json
// (every line parses, no secret logged), the SIGTERM drain (an in-flight request completes,
// sockets get 1001, exit 0 within 10 s) and `imchat-server --disable-user` (4003, refused logins).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import WebSocket from 'ws';
import { startServer, api, deviceId, serverBin } from '../lib/server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// name{labels} value -> Map
function parseMetrics(text) {
  const m = new Map();
  for (const line of text.split('\n')) {
    if (!line || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    assert.ok(at > 0, 'sample line: ' + line);
    const v = Number(line.slice(at + 1));
    assert.ok(!Number.isNaN(v), 'sample value: ' + line);
    m.set(line.slice(0, at), v);
  }
  return m;
}

async function scrape(base, headers = {}) {
  const res = await fetch(base + '/metrics', { headers });
  const text = await res.text();
  return { status: res.status, type: res.headers.get('content-type'), text, m: res.status === 200 ? parseMetrics(text) : null };
}

let devices = 0;
async function guest(base) {
  const r = await api(base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(700 + ++devices) } });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}

function socket(port, token) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/ws?token=${token}`);
  const frames = [];
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  const welcomed = new Promise((res, rej) => {
    ws.on('message', () => res());
    ws.on('error', rej);
  });
  const closed = new Promise((res) => ws.on('close', (code, reason) => res({ code, reason: reason.toString() })));
  return { ws, frames, welcomed, closed };
}

const within = (p, ms, what) => Promise.race([p, sleep(ms).then(() => { throw new Error(`${what}: not within ${ms} ms`); })]);

test('/metrics: exposition format, and the counters move with traffic', { timeout: 60000 }, async () => {
  const s = await startServer();
  try {
    const first = await scrape(s.base);
    assert.equal(first.status, 200, first.text);
    assert.match(first.type, /^text\/plain; version=0\.0\.4/);
    for (const name of ['imchat_sockets', 'imchat_messages_in_total', 'imchat_deliveries_out_total',
      'imchat_fanout_queue_depth', 'imchat_http_requests_in_flight']) assert.ok(first.m.has(name), name);
    assert.match(first.text, /# TYPE imchat_http_request_duration_seconds histogram/);
    assert.match(first.text, /# TYPE imchat_store_duration_seconds histogram/);

    const a = await guest(s.base);
    const b = await guest(s.base);
    for (const u of [a, b]) {
      const r = await api(s.base, 'POST', '/api/chat/groupInviteUser',
        { token: u.token, body: { group_id: s.demoGroup, user_id: u.id, inviteuser_id: -1 } });
      assert.equal(r.status, 200, r.text);
    }
    const sb = socket(s.port, b.token);
    await within(sb.welcomed, 5000, 'welcome');
    const send = await api(s.base, 'POST', '/api/chat/socket/sendmessage', {
      token: a.token, body: { sendto_id: s.demoGroup, chatType: 'group', type: 'text', data: 'metrics', options: '', client_msg_id: 'm1' },
    });
    assert.equal(send.status, 200, send.text);
    const bad = await api(s.base, 'GET', '/api/chat/userset', { token: 'f'.repeat(64) });
    assert.equal(bad.status, 400);
    await sleep(200);   // the fan-out reaches b's socket

    const after = (await scrape(s.base)).m;
    const d = (k) => (after.get(k) ?? 0) - (first.m.get(k) ?? 0);
    assert.equal(after.get('imchat_sockets'), 1);
    assert.equal(d('imchat_messages_in_total'), 1);
    assert.ok(d('imchat_deliveries_out_total') >= 1, 'deliveries out');
    assert.equal(d('imchat_http_request_duration_seconds_count{route="/api/chat/socket/sendmessage"}'), 1);
    assert.equal(d('imchat_http_request_duration_seconds_count{route="/api/visitorRegister"}'), 2);
    assert.ok(d('imchat_http_request_duration_seconds_count{route="metrics"}') >= 1);
    assert.ok(d('imchat_store_duration_seconds_count{op="append"}') >= 1);
    assert.ok(d('imchat_store_duration_seconds_count{op="read"}') >= 1);
    assert.equal(d('imchat_refusals_total{reason="auth"}'), 1);
    // Buckets are cumulative and end at the count.
    const route = 'route="/api/chat/socket/sendmessage"';
    assert.equal(after.get(`imchat_http_request_duration_seconds_bucket{${route},le="+Inf"}`),
      after.get(`imchat_http_request_duration_seconds_count{${route}}`));
    sb.ws.close();
  } finally {
    await s.stop();
  }
});

test('/metrics is closed to the public: untrusted proxies, other networks, off', { timeout: 60000 }, async () => {
  const s = await startServer();
  const only = await startServer({ extraArgs: ['--metrics-allow', '10.0.0.0/8'] });
  const off = await startServer({ extraArgs: ['--metrics-allow', 'off'] });
  try {
    // A reverse proxy on this host that we were not told to trust (--trust-proxy): refused.
    const relayed = await scrape(s.base, { 'x-forwarded-for': '203.0.113.7' });
    assert.equal(relayed.status, 403);
    assert.equal(JSON.parse(relayed.text).msg, 'fail');
    assert.equal((await scrape(only.base)).status, 403, 'loopback is not in 10.0.0.0/8');
    assert.equal((await scrape(off.base)).status, 403);
  } finally {
    await Promise.all([s.stop(), only.stop(), off.stop()]);
  }
});

test('--log-format json: every stdout line is one JSON object, no token or password in it', { timeout: 60000 }, async () => {
  const s = await startServer({ extraArgs: ['--log-format', 'json'] });
  let token;
  try {
    token = (await guest(s.base)).token;
    // A warning: a socket from a foreign origin.
    const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws?token=${token}`, { headers: { origin: 'http://evil.example' } });
    await within(new Promise((res) => { ws.on('error', res); ws.on('close', res); ws.on('unexpected-response', res); }), 5000, 'refused');
    await api(s.base, 'POST', '/api/regChat', { body: { username: 'logcheck1', password: 'hunter22secret' } });
    await api(s.base, 'POST', '/api/loginChat', { body: { username: 'logcheck1', password: 'wrongpass99' } });
    await sleep(200);
  } finally {
    await s.stop({ keepData: true });
  }
  const out = s.output();
  const lines = out.split('\n').filter((l) => l.trim() !== '');
  let stdoutLines = 0;
  for (const line of lines) {
    if (!line.startsWith('{')) continue;   // stderr shares the buffer; the server writes logs to stdout
    const j = JSON.parse(line);
    assert.equal(typeof j.time, 'string', line);
    assert.match(j.time, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    assert.equal(typeof j.level, 'string', line);
    assert.equal(typeof j.msg, 'string', line);
    stdoutLines++;
  }
  assert.ok(lines.every((l) => l.startsWith('{')), 'only JSON lines:\n' + out);
  assert.ok(stdoutLines >= 5, out);
  assert.ok(lines.some((l) => /origin refused/.test(JSON.parse(l).msg)), 'the warning is logged:\n' + out);
  assert.ok(lines.some((l) => JSON.parse(l).msg.startsWith('imchat is serving on')));
  assert.ok(!out.includes(token), 'no token in the log');
  assert.ok(!out.includes('hunter22secret') && !out.includes('wrongpass99'), 'no password in the log');
});

// Sends an HTTP request whose body arrives in two parts, `gapMs` apart; resolves with the raw answer.
function slowRequest(port, method, path, headers, body, gapMs, onFirstPart) {
  return new Promise((resolve, reject) => {
    const sock = net.connect(port, '127.0.0.1');
    let answer = '';
    sock.on('data', (d) => { answer += d; });
    sock.on('end', () => resolve(answer));
    sock.on('close', () => resolve(answer));
    sock.on('error', reject);
    sock.on('connect', async () => {
      const head = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', `Content-Length: ${Buffer.byteLength(body)}`,
        'Content-Type: application/json', 'Connection: close',
        ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`), '', ''].join('\r\n');
      const half = Math.floor(body.length / 2);
      sock.write(head + body.slice(0, half));
      await sleep(100);
      onFirstPart();
      await sleep(gapMs);
      sock.write(body.slice(half));
    });
  });
}

test('SIGTERM drains: the request in flight completes, sockets get 1001, exit 0 within 10 s', { timeout: 60000 }, async () => {
  const s = await startServer();
  try {
    const a = await guest(s.base);
    const join = await api(s.base, 'POST', '/api/chat/groupInviteUser',
      { token: a.token, body: { group_id: s.demoGroup, user_id: a.id, inviteuser_id: -1 } });
    assert.equal(join.status, 200, join.text);
    const b = await guest(s.base);
    const sb = socket(s.port, b.token);
    await within(sb.welcomed, 5000, 'welcome');

    const exited = new Promise((res) => s.proc.once('exit', (code, signal) => res({ code, signal, at: Date.now() })));
    let signalledAt = 0;
    const body = JSON.stringify({ sendto_id: s.demoGroup, chatType: 'group', type: 'text', data: 'in flight during the drain', options: '', client_msg_id: 'drain1' });
    // The body's second half arrives 1.5 s after SIGTERM: the old drain stopped after 300 ms.
    const answer = await slowRequest(s.port, 'POST', '/api/chat/socket/sendmessage', { token: a.token }, body, 1500, () => {
      signalledAt = Date.now();
      s.proc.kill('SIGTERM');
    });
    assert.match(answer, /^HTTP\/1\.1 200/, 'the in-flight request was answered:\n' + answer);
    assert.match(answer, /in flight during the drain/);
    const closed = await within(sb.closed, 5000, 'socket close');
    assert.equal(closed.code, 1001);
    // No new connections meanwhile (the listener is closed at once).
    // (a raw connect: fetch could reuse a kept-alive connection from before the signal)
    const connectResult = await new Promise((res) => {
      const c = net.connect(s.port, '127.0.0.1');
      c.on('connect', () => { c.destroy(); res('connected'); });
      c.on('error', (e) => res(e.code));
    });
    assert.equal(connectResult, 'ECONNREFUSED');
    const { code, at } = await within(exited, 10000, 'exit after SIGTERM');
    assert.equal(code, 0);
    assert.ok(at - signalledAt < 10000, `exited ${at - signalledAt} ms after SIGTERM`);
  } finally {
    await s.stop();
  }
});

test('--disable-user: its socket closes with 4003, its token and logins are refused; --enable-user undoes it', { timeout: 60000 }, async () => {
  const s = await startServer({ extraArgs: ['--disabled-poll-ms', '200'] });
  try {
    const reg = await api(s.base, 'POST', '/api/regChat', { body: { username: 'operator1', password: 'secret12' } });
    assert.equal(reg.status, 200, reg.text);
    const login = await api(s.base, 'POST', '/api/loginChat', { body: { username: 'operator1', password: 'secret12' } });
    assert.equal(login.status, 200, login.text);
    const token = login.json.data.token;
    const other = await guest(s.base);
    const so = socket(s.port, other.token);
    const su = socket(s.port, token);
    await within(Promise.all([su.welcomed, so.welcomed]), 5000, 'welcome');

    const cmd = (flag, name) => spawnSync(serverBin, [flag, name, '--data-dir', s.dir], { encoding: 'utf8', timeout: 15000 });
    const none = cmd('--disable-user', 'nobody_here');
    assert.equal(none.status, 1, none.stdout + none.stderr);
    assert.match(none.stderr, /no user named 'nobody_here'/);
    const dis = cmd('--disable-user', 'operator1');
    assert.equal(dis.status, 0, dis.stdout + dis.stderr);
    assert.match(dis.stdout, /user operator1 \(id \d+\) disabled/);

    const closed = await within(su.closed, 5000, 'the disabled user\'s socket');
    assert.equal(closed.code, 4003);
    const byToken = await api(s.base, 'GET', '/api/chat/userset', { token });
    assert.equal(byToken.status, 403);
    assert.equal(byToken.json.data, '账号已被禁用');
    const again = await api(s.base, 'POST', '/api/loginChat', { body: { username: 'operator1', password: 'secret12' } });
    assert.equal(again.status, 403);
    assert.equal(again.json.data, '账号已被禁用');
    // A reconnect is refused with 4003 too (the client stops), not 4002.
    const re = socket(s.port, token);
    assert.equal((await within(re.closed, 5000, 'reconnect refused')).code, 4003);
    // Others are untouched.
    assert.equal(so.ws.readyState, WebSocket.OPEN);

    const en = cmd('--enable-user', 'operator1');
    assert.equal(en.status, 0, en.stdout + en.stderr);
    assert.equal((await api(s.base, 'GET', '/api/chat/userset', { token })).status, 200, 'the token works again');
    so.ws.close();
  } finally {
    await s.stop();
  }
});
