// Times and avatars, end to end (issue 13, client side). Two phones chat; then the
// server is stopped and its SQLite file back-dated (the first messages 3 days earlier)
// and given an avatar for A (an image uploaded through the API), as a server with
// avatars would store it. A third phone joining afterwards sees the time separators,
// A's image avatar and B's default one on the bubbles, the exact time on a right-click,
// and the group's grid in the list. A sets an avatar through settings (pick, crop,
// upload). Screenshots in test-output/, looked at.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { launch, phone, waitFor, tap, targetRect, outDir, twoPhonesInGroup, drawn, waitDrawn } from '../lib/browser.mjs';

const DAY = 24 * 3600 * 1000;
let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

async function send(page, text) {
  await page.locator('#composer').fill(text);
  await page.locator('#composer').press('Enter');
  await waitFor(page, (s) => s.open.messages.some((m) => m.data === text && m.status === 'sent'), `"${text}" sent`);
}
// A 96x64 PNG drawn by the page (not square: the avatar crops its centre).
const makePng = (page) => page.evaluate(() => {
  const c = document.createElement('canvas');
  c.width = 96; c.height = 64;
  const g = c.getContext('2d');
  g.fillStyle = '#d0306a'; g.fillRect(0, 0, 96, 64);
  g.fillStyle = '#ffd400'; g.fillRect(32, 16, 32, 32);
  return c.toDataURL('image/png').split(',')[1];
});
const tokenOf = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('imchat.user')).token);

test('time separators, exact times and avatars on another phone; setting an avatar', async () => {
  const gid = server.demoGroup;
  const { a, b } = await twoPhonesInGroup(browser, server.base, gid);
  const sa = await waitFor(a.page, (s) => s.user, 'A');
  const sb = await waitFor(b.page, (s) => s.user, 'B');
  await send(a.page, 'three days ago 三天前');
  await send(b.page, 'reply from B');
  // An image for A's avatar, uploaded as the client uploads (raw body).
  const png = Buffer.from(await makePng(a.page), 'base64');
  const up = await fetch(server.base + '/api/chat/upload',
    { method: 'POST', headers: { token: await tokenOf(a.page), 'content-type': 'image/png' }, body: png });
  const url = (await up.json()).data.url;
  assert.match(url, /^\/uploads\//);

  // Back-date and give A its avatar where the server keeps them, then start it again.
  const { port, dir } = server;
  await server.stop({ keepData: true });
  const db = path.join(dir, 'imchat.db');
  const sql = [
    `UPDATE messages SET create_time = create_time - ${3 * DAY}
       WHERE id <= (SELECT id FROM messages WHERE data = 'three days ago 三天前');`,
    `UPDATE users SET avatar = '${url}' WHERE id = ${sa.user.id};`,
    `UPDATE messages SET from_avatar = '${url}' WHERE from_id = ${sa.user.id};`,
  ].join('\n');
  execFileSync('sqlite3', [db, sql], { timeout: 10000 });
  server = await startServer({ dataDir: dir, port });

  // A third phone joins and reads the history.
  const c = await phone(browser, 'zh-CN');
  await c.page.goto(`${server.base}/?group=${gid}`);
  const sc = await waitFor(c.page, (s) => s.screen === 'chat' && s.connection === 'online' &&
    s.open.messages.some((m) => m.data === 'reply from B'), 'C in the chat with the history');
  const old = sc.open.messages.find((m) => m.data === 'three days ago 三天前');
  assert.ok(old.create_time < Date.now() - 2.9 * DAY, 'the back-dated time arrived');
  const d = await waitDrawn(c.page, (x) => x.filter((s) => s.startsWith('sep:')).length >= 2 &&
    x.includes(`avatar:${sa.user.id}:img`), 'separators and A\'s image avatar');
  const seps = d.filter((s) => s.startsWith('sep:'));
  assert.match(seps[0], /^sep:星期[日一二三四五六] \d\d:\d\d$/, 'three days ago: the weekday');
  assert.match(seps.at(-1), /^sep:今天 \d\d:\d\d$/, 'today');
  const expectedSep = await c.page.evaluate((t) => {
    const x = new Date(t);
    const p = (n) => String(n).padStart(2, '0');
    return `sep:星期${'日一二三四五六'[x.getDay()]} ${p(x.getHours())}:${p(x.getMinutes())}`;
  }, sc.open.messages[0].create_time);
  assert.equal(seps[0], expectedSep, `the first message's separator, in the page's zone: ${expectedSep}: ${JSON.stringify(seps)}`);
  assert.ok(d.some((s) => s.startsWith(`avatar:${sb.user.id}:`) && !s.endsWith(':img')), 'B: the default avatar');
  assert.ok(!d.some((s) => s.startsWith(`avatar:${sc.user.id}:`)), 'none on my own side');
  await c.page.screenshot({ path: path.join(outDir, 'rich_chat_separators.png') });

  // Right-click (a long press on a phone) on the old message: its exact local time.
  const r = await targetRect(c.page, `msg:${old.id}`);
  await c.page.mouse.click(r.x + r.w / 2, r.y + r.h / 2, { button: 'right' });
  const exact = await c.page.evaluate((t) => {
    const x = new Date(t), p = (n) => String(n).padStart(2, '0');
    return `${x.getFullYear()}-${p(x.getMonth() + 1)}-${p(x.getDate())} ${p(x.getHours())}:${p(x.getMinutes())}:${p(x.getSeconds())}`;
  }, old.create_time);
  await targetRect(c.page, `menu:time:${exact}`);
  await c.page.screenshot({ path: path.join(outDir, 'rich_chat_exact_time.png') });
  await c.page.keyboard.press('Escape');

  // The list: the group's avatar is a grid of the members C knows.
  await tap(c.page, 'back');
  await waitFor(c.page, (s) => s.screen === 'list', 'C on the list');
  const l = await waitDrawn(c.page, (x) => x.some((s) => s.startsWith(`group-avatar:${gid}:`)), 'the group grid');
  const faces = Number(l.find((s) => s.startsWith(`group-avatar:${gid}:`)).split(':')[2]);
  assert.ok(faces >= 2, `a grid of the senders and members (${faces})`);
  await c.page.screenshot({ path: path.join(outDir, 'rich_chat_list.png') });

  // A sets an avatar from settings: picked, cropped square, uploaded, set.
  await waitFor(a.page, (s) => s.connection === 'online', 'A back online');
  await tap(a.page, 'back');
  await waitFor(a.page, (s) => s.screen === 'list', 'A on the list');
  await tap(a.page, 'settings');
  await waitFor(a.page, (s) => s.screen === 'settings', 'A in settings');
  const chooser = a.page.waitForEvent('filechooser', { timeout: 10000 });
  await tap(a.page, 'set_avatar');
  await (await chooser).setFiles({ name: 'me.png', mimeType: 'image/png', buffer: png });
  const sa2 = await waitFor(a.page, (s) => s.user.avatar && s.user.avatar !== url, 'A\'s new avatar set');
  assert.match(sa2.user.avatar, /^\/uploads\//);
  const img = await fetch(server.base + sa2.user.avatar);
  assert.equal(img.status, 200);
  const bytes = Buffer.from(await img.arrayBuffer());
  assert.equal(bytes.subarray(0, 3).toString('hex'), 'ffd8ff', 'a JPEG (cropped in the page)');
  await waitDrawn(a.page, (x) => x.includes(`avatar:${sa.user.id}:img`), 'A\'s avatar drawn in settings');
  await a.page.screenshot({ path: path.join(outDir, 'rich_chat_settings.png') });
  for (const p of [a, b, c]) await p.ctx.close();
});
