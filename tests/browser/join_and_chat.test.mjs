// Walking skeleton, end to end: two phones open the QR join URL, become guests,
// join the group and chat live by typing into #composer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { launch, phone, snapshot, waitFor, outDir } from '../lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const inChat = (gid) => (s) => s.screen === 'chat' && s.connection === 'online' && s.open && s.open.id === gid;

test('two guests join by URL and chat live; reload keeps the guest', async () => {
  const url = `${server.base}/?group=${server.demoGroup}`;
  const a = await phone(browser, 'zh-CN');
  const b = await phone(browser, 'en-US');
  await a.page.goto(url);
  const sa = await waitFor(a.page, inChat(server.demoGroup), 'page A in the chat');
  assert.equal(sa.user.role, 'visitor');
  await waitFor(a.page, (s) => s.open.messages.some((m) => m.seq === 1 && m.type === 'systemNotice'),
    'history from the start (welcome notice, seq 1)');

  // A types like a phone keyboard would and presses Enter, before B arrives.
  const early = 'early bird 早到的消息';
  await a.page.locator('#composer').click();
  await a.page.keyboard.type(early);
  await a.page.keyboard.press('Enter');
  assert.equal(await a.page.locator('#composer').inputValue(), '', 'composer is cleared after sending');
  await waitFor(a.page, (s) => s.open.messages.some((m) => m.data === early && m.status === 'sent'),
    'A sees its message acknowledged');

  await b.page.goto(url);
  const sb = await waitFor(b.page, inChat(server.demoGroup), 'page B in the chat');
  assert.notEqual(sa.user.id, sb.user.id, 'two devices, two guests');
  await waitFor(b.page, (s) => s.open.messages.some((m) => m.data === early), 'B sees the history');

  // Now live.
  const text = '你好 from A ' + Date.now();
  await a.page.locator('#composer').click();
  await a.page.keyboard.type(text);
  await a.page.keyboard.press('Enter');
  const mineA = await waitFor(a.page, (s) => s.open.messages.some((m) => m.data === text && m.status === 'sent'),
    'A sees the live message acknowledged');
  const sent = mineA.open.messages.find((m) => m.data === text);
  assert.ok(sent.id > 0 && sent.seq > 0);

  const gotB = await waitFor(b.page, (s) => s.open.messages.some((m) => m.data === text), 'B receives the message');
  const recv = gotB.open.messages.find((m) => m.data === text);
  assert.equal(recv.id, sent.id, 'same message id on both sides');
  assert.equal(recv.from_id, sa.user.id);
  assert.equal(gotB.open.messages.filter((m) => m.id === sent.id).length, 1, 'no duplicate');
  const seqs = gotB.open.messages.map((m) => m.seq);
  assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), 'in seq order');

  // B answers with the send button (phones have no Enter key to rely on).
  await b.page.locator('#composer').fill('hello from B');
  await b.page.locator('#send').dispatchEvent('pointerdown');
  await waitFor(a.page, (s) => s.open.messages.some((m) => m.data === 'hello from B'), 'A receives B\'s reply');

  await a.page.screenshot({ path: path.join(outDir, 'chat-a.png') });

  // Reload keeps the same guest, and the history.
  await a.page.reload();
  const again = await waitFor(a.page, inChat(server.demoGroup), 'A back in the chat after reload');
  assert.equal(again.user.id, sa.user.id, 'same guest after reload');
  await waitFor(a.page, (s) => s.open.messages.some((m) => m.data === text), 'history after reload');
  await a.ctx.close();
  await b.ctx.close();
});

test('unknown group shows a clear not-found screen', async () => {
  const p = await phone(browser, 'en-US');
  await p.page.goto(`${server.base}/?group=999999`);
  const s = await waitFor(p.page, (x) => x.screen === 'not_found', 'not found screen');
  assert.equal(s.open, null);
  assert.equal(await p.page.locator('#composer-box').isVisible(), false, 'no composer on an error screen');
  await p.page.screenshot({ path: path.join(outDir, 'not-found.png') });
  await p.ctx.close();
});

test('the reference hash link form joins too', async () => {
  const p = await phone(browser);
  await p.page.goto(`${server.base}/#/pages/setpageInfo/setpageInfo?action=autoAddGroup&title=x&id=${server.demoGroup}&chatType=group`);
  await waitFor(p.page, inChat(server.demoGroup), 'joined through the reference link');
  const s = await snapshot(p.page);
  assert.equal(s.conversations[0].title, 'imchat 演示群');
  await p.ctx.close();
});
