// Uploads over real HTTP (issue 13): a browser's FormData (multipart) and a raw body, kinds by
// content, files served as attachments, limits from flags (the transport's body limit follows
// the largest kind), the daily quota, byte ranges, and media messages.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, deviceId } from '../lib/server.mjs';

const MiB = 1024 * 1024;
let server, token, gid;
before(async () => {
  server = await startServer({ extraArgs: ['--upload-image-mb', '1', '--upload-audio-mb', '1', '--upload-video-mb', '2',
    '--upload-file-mb', '2', '--upload-quota-mb', '6'] });
  const reg = await api(server.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(1301) } });
  token = reg.json.data.token;
  gid = server.demoGroup;
  const joined = await api(server.base, 'POST', '/api/chat/groupInviteUser', { token, body: { group_id: gid, inviteuser_id: -1 } });
  assert.equal(joined.status, 200, joined.text);
});
after(async () => { await server?.stop(); });

const png = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const mp3 = Buffer.concat([Buffer.from('ID3'), Buffer.alloc(7)]);

async function form(bytes, filename) {
  const fd = new FormData();
  fd.append('file', new Blob([bytes]), filename);
  const res = await fetch(`${server.base}/api/chat/upload`, { method: 'POST', headers: { token }, body: fd,
    signal: AbortSignal.timeout(20000) });
  return { status: res.status, json: await res.json() };
}
async function raw(bytes, query = '') {
  const res = await fetch(`${server.base}/api/chat/upload${query}`, { method: 'POST', headers: { token }, body: bytes,
    signal: AbortSignal.timeout(20000) });
  return { status: res.status, json: await res.json().catch(() => null) };
}

test('FormData and raw uploads: the kind by content, media served inline with their type', { timeout: 30000 }, async () => {
  const a = await form(png, 'song.mp3');
  assert.equal(a.status, 200, JSON.stringify(a.json));
  assert.equal(a.json.data.kind, 'image');
  assert.equal(a.json.data.name, 'song.mp3');
  assert.equal(a.json.data.size, png.length);
  const b = await raw(mp3, '?name=voice.mp3');
  assert.equal(b.json.data.kind, 'audio');
  const got = await fetch(server.base + a.json.data.url);
  assert.equal(got.headers.get('content-type'), 'image/png');
  assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
  assert.equal(got.headers.get('content-disposition'), null);
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), png);
  const part = await fetch(server.base + b.json.data.url, { headers: { range: 'bytes=0-2' } });
  assert.equal(part.status, 206);
  assert.equal(Buffer.from(await part.arrayBuffer()).toString(), 'ID3');
  const sent = await api(server.base, 'POST', '/api/chat/socket/sendmessage', { token,
    body: { sendto_id: gid, chatType: 'group', type: 'audio', data: b.json.data.url, options: encodeURIComponent('{"duration":3}') } });
  assert.equal(sent.status, 200, sent.text);
  const wrong = await api(server.base, 'POST', '/api/chat/socket/sendmessage', { token,
    body: { sendto_id: gid, chatType: 'group', type: 'video', data: b.json.data.url } });
  assert.equal(wrong.status, 400, 'an audio upload is not a video');
});

test('an HTML file downloads as an attachment under its name, byte-identical', { timeout: 30000 }, async () => {
  const html = Buffer.from('<html><script>alert(1)</script></html>');
  const up = await form(html, '说明.html');
  assert.equal(up.json.data.kind, 'file');
  assert.match(up.json.data.url, /^\/uploads\/[0-9a-f]{32}\.bin$/);
  const got = await fetch(server.base + up.json.data.url);
  assert.equal(got.headers.get('content-type'), 'application/octet-stream');
  assert.equal(got.headers.get('content-disposition'),
    `attachment; filename="______.html"; filename*=UTF-8''${encodeURIComponent('说明')}.html`);
  assert.match(got.headers.get('content-security-policy'), /sandbox/);
  assert.deepEqual(Buffer.from(await got.arrayBuffer()), html);
});

test('limits from flags: each kind at its limit and one byte over; the quota', { timeout: 60000 }, async () => {
  const image = Buffer.concat([png, Buffer.alloc(1 * MiB - png.length)]);
  const at = await form(image, 'a.png');
  assert.equal(at.status, 200, 'exactly 1 MiB: ' + JSON.stringify(at.json));
  const over = await form(Buffer.concat([image, Buffer.alloc(1)]), 'a.png');
  assert.equal(over.status, 413);
  assert.match(over.json.data, /图片不能超过1MB/);
  const file = Buffer.concat([Buffer.from('%PDF'), Buffer.alloc(2 * MiB - 4)]);
  assert.equal((await form(file, 'big.pdf')).status, 200, 'a 2 MiB file passes the transport (limit + framing)');
  const beyond = await raw(Buffer.alloc(2 * MiB + 128 * 1024));
  assert.equal(beyond.status, 413, 'past the transport body limit');
  assert.equal(beyond.json?.msg, 'fail');
  // used so far: png + mp3 + html + 1 MiB + 2 MiB; the quota is 6 MiB
  assert.equal((await raw(file)).status, 200);
  const quota = await raw(file);
  assert.equal(quota.status, 429, JSON.stringify(quota.json));
  assert.match(quota.json.data, /今天的上传已达上限/);
});
