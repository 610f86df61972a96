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
