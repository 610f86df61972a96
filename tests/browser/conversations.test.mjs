// Server-side conversations (issue 9): a 1:1 conversation whose messages were sent
// while its receiver was away shows on a new phone with preview and unread; opening
// it clears the unread count on the server too (a reload keeps 0). Screenshots of
// the list at a phone viewport with several conversations.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api } from '../lib/server.mjs';
import { launch, phone, waitFor, outDir, tap, logInThroughTheUi, targetRect } from '../lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function account(username) {
  const reg = await api(server.base, 'POST', '/api/regChat',
    { body: { username, password: 'secret1', repassword: 'secret1' } });
  assert.equal(reg.status, 200, reg.text);
  const login = await api(server.base, 'POST', '/api/loginChat', { body: { username, password: 'secret1' } });
  assert.equal(login.status, 200, login.text);
  return login.json.data;
}
async function send(token, chatType, to, data, type = 'text') {
  const r = await api(server.base, 'POST', '/api/chat/socket/sendmessage',
    { token, body: { sendto_id: to, chatType, type, data } });
  assert.equal(r.status, 200, r.text);
  return r.json.data;
}
const single = (id) => (c) => c.chatType === 'single' && c.id === id;

test('a new phone sees a 1:1 conversation with preview and unread; opening it reads it on the server', async () => {
  const alice = await account('alice09');
  const bob = await account('bob0009');
  const carol = await account('carol09');
  // Two groups alice owns (so bob and carol share one with her and may message 1:1).
  const g1 = await api(server.base, 'POST', '/api/chat/group/create', { token: alice.token, body: { name: '周末爬山群' } });
  const g2 = await api(server.base, 'POST', '/api/chat/group/create', { token: alice.token, body: { name: 'Design review' } });
  assert.equal(g1.status, 200, g1.text);
  const gid = g1.json.data.id, gid2 = g2.json.data.id;
  for (const u of [bob, carol]) {
    const j = await api(server.base, 'POST', '/api/chat/groupInviteUser', { token: u.token, body: { group_id: gid, inviteuser_id: -1 } });
    assert.equal(j.status, 200, j.text);
  }
  await send(alice.token, 'group', gid2, '下周一评审新版首页');
  await send(carol.token, 'group', gid, '/uploads/0123456789abcdef0123456789abcdef.jpg', 'image');
  await send(bob.token, 'group', gid, '周六早上八点地铁站集合，记得带水和防晒霜，山上风大');
  await send(carol.token, 'single', alice.id, '照片我晚点发你');
  // alice is away (no socket): bob writes to her.
  await send(bob.token, 'single', alice.id, '你好');
  await send(bob.token, 'single', alice.id, '在吗？');
  const last = await send(bob.token, 'single', alice.id, '明天下午三点开会，别忘了带电脑');

  const p = await phone(browser, 'zh-CN');
  await logInThroughTheUi(p.page, server.base, 'alice09', 'secret1');
  const s = await waitFor(p.page, (x) => x.conversations.some((c) => single(bob.id)(c) && c.last && c.unread === 3),
    'the 1:1 conversation with bob, from the server');
  const conv = s.conversations.find(single(bob.id));
  assert.equal(conv.title, 'bob0009');
  assert.equal(conv.last.text, '明天下午三点开会，别忘了带电脑');
  assert.equal(conv.last.from_name, 'bob0009');
  assert.equal(conv.last.type, 'text');
  assert.equal(conv.last.time, last.create_time);
  assert.equal(s.conversations[0].chatType, 'single', 'the newest activity first');
  assert.equal(s.conversations[0].id, bob.id);
  const group = s.conversations.find((c) => c.chatType === 'group' && c.id === gid);
  assert.equal(group.last.text, '周六早上八点地铁站集合，记得带水和防晒霜，山上风大');
  const total = s.conversations.reduce((n, c) => n + c.unread, 0);
  // document.title follows on the next frame: poll it.
  let title = '';
  for (let i = 0; i < 50 && title !== `(${total}) imchat`; i++) {
    title = await p.page.title();
    if (title !== `(${total}) imchat`) await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(title, `(${total}) imchat`);
  const row = await targetRect(p.page, `conv:single:${bob.id}`);
  assert.ok(row.h >= 64, `row height ${row.h}`);
  await new Promise((r) => setTimeout(r, 300));   // fonts for the new glyphs
  await p.page.screenshot({ path: path.join(outDir, 'conversation-list.png') });

  // Open it: read locally and on the server.
  await tap(p.page, `conv:single:${bob.id}`);
  await waitFor(p.page, (x) => x.screen === 'chat' && x.open && x.open.messages.length >= 3, 'the chat with its messages');
  const token = await p.page.evaluate(() => JSON.parse(localStorage.getItem('imchat.user')).token);
  const start = Date.now();
  let server0 = null;
  while (Date.now() - start < 10000) {
    const l = await api(server.base, 'GET', '/api/chat/conversationList', { token });
    server0 = l.json && Array.isArray(l.json.data) ? l.json.data.find(single(bob.id)) : null;
    if (server0 && server0.unread === 0) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  assert.equal(server0 && server0.unread, 0, `server unread after opening: ${JSON.stringify(server0)}`);
  assert.equal(server0.read_seq, server0.last_seq);

  await tap(p.page, 'back');
  const back = await waitFor(p.page, (x) => x.screen === 'list', 'back on the list');
  assert.equal(back.conversations.find(single(bob.id)).unread, 0);
  await p.page.reload();
  const again = await waitFor(p.page, (x) => x.screen === 'list' && x.connection === 'online' &&
    x.conversations.some((c) => single(bob.id)(c) && c.last), 'the list after a reload');
  await new Promise((r) => setTimeout(r, 500));   // the list answer after the socket opened
  const after = await waitFor(p.page, (x) => x.conversations.some((c) => c.chatType === 'single' && c.id === carol.id), 'carol too');
  assert.equal(after.conversations.find(single(bob.id)).unread, 0, 'still read after a reload');
  assert.equal(after.conversations.find(single(carol.id)).unread, 1);
  assert.ok(again);
  await p.page.screenshot({ path: path.join(outDir, 'conversation-list-read.png') });
  await p.ctx.close();
});

test('the list in English with the empty state', async () => {
  const p = await phone(browser, 'en-US');
  await p.page.goto(server.base + '/');
  await waitFor(p.page, (s) => s.screen === 'list' && s.connection === 'online', 'list');
  await new Promise((r) => setTimeout(r, 300));
  await p.page.screenshot({ path: path.join(outDir, 'conversation-list-empty.png') });
  await p.ctx.close();
});
