// Visible errors and stored join requests (issue 9), through the real UI:
// an owner who was away finds the stored request (with its reason) and approves
// it; a muted member's send shows the server's reason and no retry; a registered
// user whose token died while the phone slept gets the "logged in elsewhere"
// modal and loses the old account's chats.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api } from '../lib/server.mjs';
import { launch, phone, waitFor, outDir, tap, targetRect, answerPrompt, logInThroughTheUi } from '../lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

let n = 0;
const uniq = (p) => `${p}${String(++n).padStart(2, '0')}${Date.now() % 10000}`;
const targets = (page) => page.evaluate(() => window.imchat.targets().map((t) => t.id));

// A registered account made through the API; its token.
async function account(username) {
  const reg = await api(server.base, 'POST', '/api/regChat', { body: { username, password: 'secret1', repassword: 'secret1' } });
  assert.equal(reg.status, 200, reg.text);
  const login = await api(server.base, 'POST', '/api/loginChat', { body: { username, password: 'secret1' } });
  assert.equal(login.status, 200, login.text);
  return login.json.data;
}

test('an owner who was away sees the stored request with its reason and approves it', async () => {
  const ownerName = uniq('own');
  const owner = await phone(browser, 'zh-CN');
  await logInThroughTheUi(owner.page, server.base, ownerName, 'secret1', { register: true });
  await tap(owner.page, 'create_group');
  await answerPrompt(owner.page, '审核群');
  const gid = (await waitFor(owner.page, (s) => s.screen === 'chat' && s.open, 'owner in the new group')).open.id;
  await tap(owner.page, 'group_info');
  await waitFor(owner.page, (s) => s.screen === 'group_info' && s.group && s.group.qr_url, 'group info with its QR (the layout settled)');
  await tap(owner.page, 'policy:1');
  await waitFor(owner.page, (s) => s.group.policy === 1, 'policy 1 set');
  await owner.ctx.close();   // the owner goes away

  const g = await phone(browser, 'zh-CN');
  await g.page.goto(`${server.base}/?group=${gid}`);
  const card = await waitFor(g.page, (s) => s.screen === 'join' && s.join && s.join.policy === 1, 'join screen');
  await tap(g.page, 'join_apply');
  await answerPrompt(g.page, '我是扫码来的小王，请通过');
  await waitFor(g.page, (s) => s.join && s.join.pending, 'request pending');

  // The owner comes back on another phone: the chat's "..." carries a badge,
  // the group info lists the request with its reason and time.
  const back = await phone(browser, 'zh-CN');
  await logInThroughTheUi(back.page, server.base, ownerName, 'secret1');
  await tap(back.page, `conv:group:${gid}`);
  await waitFor(back.page, (s) => s.screen === 'chat' && s.group && s.group.pending_requests === 1, 'badge count');
  await targetRect(back.page, 'group_info:badge');
  await back.page.screenshot({ path: path.join(outDir, 'owner-chat-request-badge.png') });
  await tap(back.page, 'group_info');
  const info = await waitFor(back.page, (s) => s.screen === 'group_info' && s.group && s.group.qr_url &&
    s.group.members.some((m) => m.user_id === card.user.id && m.status === 2), 'request listed');
  const req = info.group.members.find((m) => m.user_id === card.user.id);
  assert.equal(req.reason, '我是扫码来的小王，请通过');
  assert.ok(req.request_time > Date.now() - 10 * 60 * 1000, `request_time ${req.request_time}`);
  await targetRect(back.page, `request:reason:${card.user.id}`);
  await back.page.screenshot({ path: path.join(outDir, 'group-info-join-request.png') });
  await tap(back.page, `request:approve:${card.user.id}`);
  await waitFor(g.page, (s) => s.screen === 'chat' && s.open && s.open.id === gid && s.connection === 'online',
    'the applicant lands in the chat');
  await waitFor(back.page, (s) => s.group && s.group.pending_requests === 0 &&
    s.group.members.some((m) => m.user_id === card.user.id && m.status === 1), 'request handled, badge gone');
  await back.ctx.close();
  await g.ctx.close();
});

test('a muted member sees the refusal under the bubble, and no retry', async () => {
  const o = await account(uniq('mut'));
  const created = await api(server.base, 'POST', '/api/chat/group/create', { token: o.token, body: { name: '禁言群' } });
  assert.equal(created.status, 200, created.text);
  const gid = created.json.data.id;

  const m = await phone(browser, 'zh-CN');
  // The member's phone is slow to hear of the mute (its socket lags): hold back
  // the group's system notices, so it still believes it may speak.
  let hold = true;
  const held = [];
  await m.page.routeWebSocket(/\/ws/, (ws) => {
    const srv = ws.connectToServer();
    srv.onMessage((msg) => {
      if (hold && String(msg).includes('systemNotice')) held.push(msg);
      else ws.send(msg);
    });
  });
  await m.page.goto(`${server.base}/?group=${gid}`);
  const s0 = await waitFor(m.page, (s) => s.screen === 'chat' && s.connection === 'online' && s.open?.id === gid,
    'member in the chat');
  const mute = await api(server.base, 'POST', '/api/chat/groupMuteUser',
    { token: o.token, body: { group_id: gid, user_id: s0.user.id, mute: 1 } });
  assert.equal(mute.status, 200, mute.text);

  await m.page.waitForFunction(() => getComputedStyle(document.getElementById('composer-box')).display !== 'none');
  await m.page.locator('#composer').fill('还能说话吗');
  await m.page.locator('#composer').press('Enter');
  const s1 = await waitFor(m.page, (s) => s.open.messages.some((x) => x.status === 'failed' && x.error),
    'the send is refused');
  const failed = s1.open.messages.find((x) => x.status === 'failed');
  assert.equal(failed.error, '您已被禁言');
  assert.equal(failed.retry, false);
  await targetRect(m.page, `failed:${failed.client_msg_id}`);
  const ids = await targets(m.page);
  assert.ok(!ids.includes(`retry:${failed.client_msg_id}`), 'no "tap to retry" on a refusal');
  await m.page.waitForFunction(() => document.getElementById('toast').textContent.includes('您已被禁言'));
  await m.page.screenshot({ path: path.join(outDir, 'failed-bubble-muted.png') });
  // Still failed a moment later (a refusal is not resent), and tapping it does nothing.
  await m.page.waitForTimeout(800);
  const s2 = await waitFor(m.page, (s) => s.open.messages.some((x) => x.client_msg_id === failed.client_msg_id),
    'still there');
  assert.equal(s2.open.messages.find((x) => x.client_msg_id === failed.client_msg_id).status, 'failed');

  hold = false;
  await m.ctx.close();
});

test('a token rejected for a registered user (4002 after a missed 4001) shows the modal and clears the chats', async () => {
  const name = uniq('slp');
  const a = await phone(browser, 'zh-CN');
  // The phone sleeps through the other login: the server's 4001 never reaches it,
  // it only sees its connection drop; it reconnects with the dead token and gets 4002.
  let sleeping = false;
  await a.page.routeWebSocket(/\/ws/, (ws) => {
    const srv = ws.connectToServer();
    srv.onClose((code, reason) => {
      if (sleeping && code === 4001) ws.close({ code: 4000, reason: 'network lost' });
      else ws.close({ code, reason });
    });
  });
  await logInThroughTheUi(a.page, server.base, name, 'secret1', { register: true });
  await tap(a.page, 'create_group');
  await answerPrompt(a.page, '旧账号的群');
  const s = await waitFor(a.page, (x) => x.screen === 'chat' && x.open && x.connection === 'online', 'in the group');
  const gid = s.open.id;
  await a.page.locator('#composer').fill('旧账号的消息');
  await a.page.locator('#composer').press('Enter');
  await waitFor(a.page, (x) => x.open && x.open.messages.some((m) => m.status === 'sent'), 'message sent');

  sleeping = true;
  const login = await api(server.base, 'POST', '/api/loginChat', { body: { username: name, password: 'secret1' } });
  assert.equal(login.status, 200, login.text);

  const kicked = await waitFor(a.page, (x) => x.modal && x.user && x.user.role === 'visitor', 'signed out', 30000);
  assert.match(kicked.modal, /账号异地登录/);
  assert.notEqual(kicked.user.id, s.user.id);
  assert.ok(!kicked.conversations.some((c) => c.chatType === 'group' && c.id === gid), 'the old group is gone');
  assert.ok(!kicked.open || kicked.open.id !== gid, 'the old chat is closed');
  await a.page.screenshot({ path: path.join(outDir, 'token-rejected-modal.png') });
  await a.ctx.close();
});
