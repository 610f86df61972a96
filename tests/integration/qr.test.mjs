// The group QR code, as a phone camera would read it: zbarimg (Debian zbar-tools)
// decodes the served PNG to the join URL built from --public-url.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, api } from '../lib/server.mjs';

const publicUrl = 'http://192.168.77.5:9000';
let server;
before(async () => { server = await startServer({ extraArgs: ['--public-url', publicUrl] }); });
after(async () => { await server?.stop(); });

test('groupQrcode PNG decodes to the join URL', async () => {
  await api(server.base, 'POST', '/api/regChat', { body: { username: 'qrowner', password: 'secret1' } });
  const login = await api(server.base, 'POST', '/api/loginChat', { body: { username: 'qrowner', password: 'secret1' } });
  const token = login.json.data.token;
  const created = await api(server.base, 'POST', '/api/chat/group/create', { token, body: { name: '扫码群' } });
  assert.equal(created.status, 200, created.text);
  const gid = created.json.data.id;

  const res = await fetch(`${server.base}/api/chat/groupQrcode/${gid}?type=H5&chatType=group&http=http://evil.example`,
    { headers: { token } });
  assert.equal(res.status, 200);
  assert.equal(res.headers.get('content-type'), 'image/png');
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'imchat-qr-')), 'group.png');
  writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  const decoded = execFileSync('zbarimg', ['--quiet', '--raw', file], { stdio: ['ignore', 'pipe', 'ignore'] })
    .toString().trim();
  assert.equal(decoded, `${publicUrl}/?group=${gid}`);
});

test('image upload: served back as an image with nosniff; size and type limits', async () => {
  const reg = await api(server.base, 'POST', '/api/visitorRegister', { body: { deviceId: '77777777-aaaa-4bbb-8ccc-000000000001' } });
  const token = reg.json.data.token;
  const png = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6300010000050001' +
    '0d0a2db40000000049454e44ae426082', 'hex');
  const up = await fetch(`${server.base}/api/chat/upload`, { method: 'POST', headers: { token, 'content-type': 'image/png' }, body: png });
  assert.equal(up.status, 200);
  const { url } = (await up.json()).data;
  const got = await fetch(server.base + url);
  assert.equal(got.status, 200);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
  const big = await fetch(`${server.base}/api/chat/upload`, { method: 'POST', headers: { token }, body: Buffer.concat([png, Buffer.alloc(6 * 1024 * 1024)]) });
  assert.equal(big.status, 413);
  // Issue 13: anything that is not media is a file (served as an attachment, never an image).
  const text = await fetch(`${server.base}/api/chat/upload`, { method: 'POST', headers: { token }, body: 'not an image' });
  assert.equal(text.status, 200);
  assert.equal((await text.json()).data.kind, 'file');
  assert.notEqual((await fetch(`${server.base}/uploads/../imchat.db`)).status, 200);
  assert.equal((await fetch(`${server.base}/uploads/imchat.db`)).status, 404);
});
