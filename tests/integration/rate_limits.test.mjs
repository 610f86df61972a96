// Rate limits at their default numbers (issue 14): sends per user (200 per 10 s), a socket's
// frames (200 per 10 s, then close 4008), guest registrations per device (10 an hour) and per
// address (600 an hour, by --trust-proxy's client address), logins per user (10 per 10 min)
// and per address (30 per 10 min). Each refusal is the envelope with a reason.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import WebSocket from 'ws';
import { startServer, api, deviceId } from '../lib/server.mjs';

const servers = [];
after(async () => { for (const s of servers) await s.stop(); });
async function server(extraArgs = []) {
  const s = await startServer({ extraArgs });
  servers.push(s);
  return s;
}
let devices = 1500;
async function guest(s) {
  const r = await api(s.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(++devices) } });
  assert.equal(r.status, 200, r.text);
  const g = r.json.data;
  const j = await api(s.base, 'POST', '/api/chat/groupInviteUser', { token: g.token, body: { group_id: s.demoGroup, inviteuser_id: -1 } });
  assert.equal(j.status, 200, j.text);
  return g;
}
async function send(s, g, i) {
  const res = await fetch(`${s.base}/api/chat/socket/sendmessage`, { method: 'POST',
    headers: { token: g.token, 'content-type': 'application/json' },
    body: JSON.stringify({ sendto_id: s.demoGroup, chatType: 'group', type: 'text', data: `m${i}`, options: '', client_msg_id: `${g.id}-${i}` }) });
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: await res.json() };
}

test('sends: 200 per user in 10 s are stored, the 201st is 429 with the reason and Retry-After; another user may send', { timeout: 30000 }, async () => {
  const s = await server();
  const [a, b] = [await guest(s), await guest(s)];
  const t0 = Date.now();
  const codes = [];
  for (let w = 0; w < 8; w++) codes.push((async () => {
    const mine = [];
    for (let i = w; i < 200; i += 8) mine.push((await send(s, a, i)).status);
    return mine;
  })());
  const all = (await Promise.all(codes)).flat();
  assert.ok(Date.now() - t0 < 9000, 'the 200 took too long to test the window');
  assert.deepEqual(all.filter((c) => c !== 200), []);
  const over = await send(s, a, 200);
  assert.equal(over.status, 429);
  assert.deepEqual(over.json, { msg: 'fail', data: '发送太频繁，请稍后再试：每10秒最多200条' });
  assert.equal(over.retryAfter, '1');
  assert.equal((await send(s, b, 0)).status, 200);
});

test('a socket: 200 frames in 10 s are answered, the 201st closes it with 4008', { timeout: 20000 }, async () => {
  const s = await server();
  const g = await guest(s);
  const ws = new WebSocket(`ws://127.0.0.1:${s.port}/ws?token=${g.token}&ack=1`);
  let pongs = 0;
  ws.on('message', (d) => { if (JSON.parse(d.toString()).type === 'pong') pongs++; });
  const closed = new Promise((r) => ws.on('close', (code) => r(code)));
  await new Promise((res, rej) => { ws.once('open', res); ws.once('error', rej); });
  for (let i = 0; i < 200; i++) ws.send(JSON.stringify({ type: 'ping' }));
  for (let i = 0; i < 100 && pongs < 200; i++) await new Promise((r) => setTimeout(r, 50));
  assert.equal(pongs, 200);
  ws.send(JSON.stringify({ type: 'ping' }));
  assert.equal(await closed, 4008);
});

test('guest registrations: 10 per device and 600 per address an hour, by the proxy-named client address', { timeout: 60000 }, async () => {
  const s = await server(['--trust-proxy', '127.0.0.1/32']);
  const reg = (device, ip) => fetch(`${s.base}/api/visitorRegister`, { method: 'POST',
    headers: { 'content-type': 'application/json', 'x-forwarded-for': ip }, body: JSON.stringify({ deviceId: device }) })
    .then(async (r) => ({ status: r.status, json: await r.json() }));
  const dev = deviceId(1599);
  for (let i = 0; i < 10; i++) assert.equal((await reg(dev, '198.51.100.1')).status, 200, `device registration ${i + 1}`);
  const devOver = await reg(dev, '198.51.100.1');
  assert.equal(devOver.status, 429);
  assert.deepEqual(devOver.json, { msg: 'fail', data: '请求太频繁，请稍后再试' });
  // The address 198.51.100.1 has 11 counted (the refused one too: its per-address check passed).
  let next = 11, refused = 0;
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next < 600) if ((await reg(deviceId(1600 + next++), '198.51.100.1')).status !== 200) refused++;
  }));
  assert.equal(refused, 0);
  const ipOver = await reg(deviceId(9999), '198.51.100.1');   // the 601st from this address
  assert.equal(ipOver.status, 429);
  assert.equal((await reg(deviceId(9998), '198.51.100.2')).status, 200, 'another client behind the proxy');
});

test('logins: 10 per username and 30 per address in 10 minutes', { timeout: 60000 }, async () => {
  const s = await server();
  const login = (username) => api(s.base, 'POST', '/api/loginChat', { body: { username, password: 'wrongpass1' } });
  for (let i = 0; i < 10; i++) assert.equal((await login('nobody1')).status, 400, `attempt ${i + 1}`);
  const userOver = await login('nobody1');
  assert.equal(userOver.status, 429);
  assert.deepEqual(userOver.json, { msg: 'fail', data: '请求太频繁，请稍后再试' });
  // The address has 11 counted; 19 more with other names fit, the 31st does not.
  for (let i = 0; i < 19; i++) assert.equal((await login(`other${i}`)).status, 400, `address attempt ${12 + i}`);
  assert.equal((await login('fresh1')).status, 429);
});
