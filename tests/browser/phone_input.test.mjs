// The phone keyboard path: Chinese IME composition through CDP into the DOM
// #composer, and a finger drag scrolling the message list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api } from '../lib/server.mjs';
import { launch, phone, waitFor, targetRect, outDir, tap, twoPhonesInGroup } from '../lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const inChat = (gid) => (s) => s.screen === 'chat' && s.connection === 'online' && s.open && s.open.id === gid;

test('IME composition: Enter while composing does not send; the committed text is sent exactly', async () => {
  const p = await phone(browser, 'zh-CN');
  await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
  await waitFor(p.page, inChat(server.demoGroup), 'in the chat');
  const cdp = await p.page.context().newCDPSession(p.page);
  await p.page.locator('#composer').focus();
  // Pinyin being composed: "nihao" shown as preedit, then Enter (keyCode 229) picks a candidate.
  await cdp.send('Input.imeSetComposition', { text: 'nihao', selectionStart: 5, selectionEnd: 5 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyDown', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
  await cdp.send('Input.dispatchKeyEvent', { type: 'keyUp', key: 'Enter', code: 'Enter', windowsVirtualKeyCode: 229, nativeVirtualKeyCode: 229 });
  await cdp.send('Input.insertText', { text: '你好世界' });   // the candidate is committed
  let s = await p.page.evaluate(() => window.imchat.snapshot());
  assert.ok(!s.open.messages.some((m) => m.from_id === s.user.id), 'nothing sent while composing');
  assert.equal(await p.page.locator('#composer').inputValue(), '你好世界');
  await p.page.locator('#composer').press('Enter');
  s = await waitFor(p.page, (x) => x.open.messages.some((m) => m.from_id === x.user.id && m.status === 'sent'), 'sent');
  const mine = s.open.messages.filter((m) => m.from_id === s.user.id);
  assert.deepEqual(mine.map((m) => m.data), ['你好世界'], 'exactly the committed text, once');
  // Shift+Enter is a line break, not a send.
  await p.page.locator('#composer').type('第一行');
  await p.page.keyboard.press('Shift+Enter');
  await p.page.locator('#composer').type('第二行');
  assert.equal(await p.page.locator('#composer').inputValue(), '第一行\n第二行');
  await p.page.locator('#composer').press('Enter');
  await waitFor(p.page, (x) => x.open.messages.some((m) => m.data === '第一行\n第二行'), 'multi-line message');
  await p.page.screenshot({ path: path.join(outDir, 'chat-chinese.png') });
  await p.ctx.close();
});

test('a finger drag scrolls the message list', async () => {
  const reg = await api(server.base, 'POST', '/api/visitorRegister', { body: { deviceId: '99999999-aaaa-4bbb-8ccc-000000000001' } });
  const token = reg.json.data.token;
  await api(server.base, 'POST', '/api/chat/groupInviteUser', { token, body: { group_id: server.demoGroup, inviteuser_id: -1 } });
  for (let i = 0; i < 40; i++) {
    await api(server.base, 'POST', '/api/chat/socket/sendmessage',
      { token, body: { sendto_id: server.demoGroup, chatType: 'group', type: 'text', data: `滚动测试 ${i}` } });
  }
  const p = await phone(browser, 'zh-CN');
  await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
  const s = await waitFor(p.page, (x) => inChat(server.demoGroup)(x) && x.open.messages.some((m) => m.data === '滚动测试 39'), 'loaded');
  const last = s.open.messages.find((m) => m.data === '滚动测试 39');
  const before = await targetRect(p.page, `msg:${last.id}`);
  // Drag down by 300 px with a finger: the list moves with it (towards older messages).
  const cdp = await p.page.context().newCDPSession(p.page);
  const touch = (type, y) => cdp.send('Input.dispatchTouchEvent', { type, touchPoints: type === 'touchEnd' ? [] : [{ x: 200, y }] });
  await touch('touchStart', 300);
  for (let y = 310; y <= 600; y += 10) { await touch('touchMove', y); await new Promise((r) => setTimeout(r, 16)); }
  await touch('touchEnd', 600);
  await new Promise((r) => setTimeout(r, 800));
  const after = await p.page.evaluate((id) => window.imchat.targets().find((t) => t.id === id), `msg:${last.id}`);
  assert.ok(!after || after.y > before.y + 200, `the last message moved down with the finger (${before.y} -> ${after && after.y})`);
  // A flick keeps going after the finger lifts: a message keeps moving once the finger is up.
  const visible = await p.page.evaluate(() => window.imchat.targets().filter((t) => t.id.startsWith('msg:') && t.y > 100 && t.y < 400));
  assert.ok(visible.length > 0, 'some message on screen');
  const probe = visible[0].id;
  const yOf = () => p.page.evaluate((id) => (window.imchat.targets().find((t) => t.id === id) || { y: 99999 }).y, probe);
  // Dispatched inside the page at a finger's pace (a move every 8 ms): CDP round trips
  // are too slow to make a flick. The 8 ms are spun, not awaited: a synthetic event is
  // stamped when it is made, and an awaited timer on a loaded machine fires after a
  // software-GL frame (100-300 ms), which makes a slow finger that rightly does not
  // coast (CI saw exactly that). Up to three flicks, one must coast.
  const flick = () => p.page.evaluate(() => {
    const c = document.getElementById('canvas');
    const at = (y) => new Touch({ identifier: 1, target: c, clientX: 200, clientY: y, pageX: 200, pageY: y });
    const fire = (type, y) => c.dispatchEvent(new TouchEvent(type, {
      bubbles: true, cancelable: true,
      touches: type === 'touchend' ? [] : [at(y)], targetTouches: type === 'touchend' ? [] : [at(y)],
      changedTouches: [at(y)] }));
    fire('touchstart', 300);
    const spin = (ms) => { const end = performance.now() + ms; while (performance.now() < end) { /* a finger's pace */ } };
    for (let y = 320; y <= 440; y += 20) { spin(8); fire('touchmove', y); }
    fire('touchend', 440);
  });
  const tries = [];
  let coastedOnce = false;
  for (let i = 0; i < 3; i++) {
    const start = await yOf();
    await flick();
    // The targets are those of the last drawn frame: under load one may still be coming.
    let lifted = await yOf();
    for (let w = 0; w < 15 && lifted === start; w++) { await new Promise((r) => setTimeout(r, 100)); lifted = await yOf(); }
    assert.ok(lifted > start, 'the drag moved the list');
    await new Promise((r) => setTimeout(r, 700));
    const coasted = await yOf();
    tries.push(`${lifted} -> ${coasted}`);
    if (coasted > lifted + 20) { coastedOnce = true; break; }
  }
  assert.ok(coastedOnce,
    `the list coasts after the finger lifts (inertia): ${tries.join(', ')}`);
  await p.ctx.close();
});

test('new messages reach the screen-reader mirror', async () => {
  const { a, b } = await twoPhonesInGroup(browser, server.base, server.demoGroup);
  assert.equal(await b.page.locator('#sr-log').getAttribute('aria-live'), 'polite');
  await a.page.locator('#composer').fill('读屏测试');
  await a.page.locator('#composer').press('Enter');
  await b.page.waitForFunction(() => document.getElementById('sr-log').textContent.includes('读屏测试'));
  await a.ctx.close();
  await b.ctx.close();
});

test('every character renders: ASCII, common and rare hanzi, and emoji, none as "?"', async () => {
  const p = await phone(browser, 'zh-CN');
  await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
  await waitFor(p.page, inChat(server.demoGroup), 'in the chat');
  // 龘 (U+9F98) and 𠀀 (U+20000) are outside the GB2312 subset the UI font ships; 👋 is an emoji.
  const text = 'Hi 你好 龘 𠀀 👋';
  await p.page.locator('#composer').fill(text);
  await p.page.locator('#composer').press('Enter');
  await waitFor(p.page, (s) => s.open.messages.some((m) => m.data === text && m.status === 'sent'), 'sent');
  let missing = null;
  for (let i = 0; i < 50; i++) {
    missing = await p.page.evaluate((t) => window.imchat.missingGlyphs(t), text);
    if (missing && missing.length === 0) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.deepEqual(missing, [], `codepoints still without a glyph: ${JSON.stringify(missing)}`);
  await new Promise((r) => setTimeout(r, 300));
  await p.page.screenshot({ path: path.join(outDir, 'glyphs.png') });
  await p.ctx.close();
});

test('image messages: pick, upload, thumbnail on the other phone, tap for full size', async () => {
  const { a, b } = await twoPhonesInGroup(browser, server.base, server.demoGroup);
  // An 80x40 PNG made by the browser.
  const b64 = await a.page.evaluate(() => {
    const c = document.createElement('canvas'); c.width = 80; c.height = 40;
    const g = c.getContext('2d'); g.fillStyle = '#e33'; g.fillRect(0, 0, 80, 40); g.fillStyle = '#33e'; g.fillRect(40, 0, 40, 40);
    return c.toDataURL('image/png').split(',')[1];
  });
  await a.page.locator('#file').setInputFiles({ name: 'photo.png', mimeType: 'image/png', buffer: Buffer.from(b64, 'base64') });
  const sa = await waitFor(a.page, (s) => s.open.messages.some((m) => m.type === 'image' && m.status === 'sent'), 'A sent an image');
  const img = sa.open.messages.find((m) => m.type === 'image');
  assert.match(img.data, /^\/uploads\/[0-9a-f]{32}\.png$/);
  // Uploaded by the core: its fetch took the picked file out of the page's blob map.
  assert.equal(await a.page.evaluate(() => window.imchatBlobs.size), 0, 'the blob went to the core\'s request');
  await waitFor(b.page, (s) => s.open.messages.some((m) => m.id === img.id), 'B has it');
  // The thumbnail decoded: the bubble takes the image's size (80x40 plus padding), not the placeholder's.
  let t = null;
  for (let i = 0; i < 50; i++) {
    t = await b.page.evaluate((id) => window.imchat.targets().find((x) => x.id === id), `msg:${img.id}`);
    if (t && Math.round(t.w) === 88) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(Math.round(t.w), 88, 'thumbnail size');
  assert.equal(Math.round(t.h), 48);
  await new Promise((r) => setTimeout(r, 500));   // let the list settle at its new height
  await b.page.screenshot({ path: path.join(outDir, 'image-message.png') });
  await tap(b.page, `msg:${img.id}`);
  await b.page.locator('#viewer').waitFor({ state: 'visible' });
  assert.match(await b.page.locator('#viewer-img').getAttribute('src'), /\/uploads\//);
  await a.ctx.close();
  await b.ctx.close();
});

// The texture budget (ui/image_cache.hpp): a thumbnail nothing draws is let go over the
// budget (the GL texture deleted) and decoded again when the chat draws it.
test('a thumbnail let go over the texture budget is decoded again when drawn', async () => {
  const { a, b } = await twoPhonesInGroup(browser, server.base, server.demoGroup);
  const b64 = await a.page.evaluate(() => {
    const c = document.createElement('canvas'); c.width = 80; c.height = 40;
    const g = c.getContext('2d'); g.fillStyle = '#3a3'; g.fillRect(0, 0, 80, 40);
    return c.toDataURL('image/png').split(',')[1];
  });
  await a.page.locator('#file').setInputFiles({ name: 'budget.png', mimeType: 'image/png', buffer: Buffer.from(b64, 'base64') });
  const mine = (s) => s.open.messages.find((m) => m.type === 'image' && m.from_id === s.user.id && m.status === 'sent');
  const img = mine(await waitFor(a.page, mine, 'A sent an image'));
  const decoded = async (page, phase) => {
    for (let i = 0; i < 50; i++) {
      const t = await page.evaluate((id) => window.imchat.targets().find((x) => x.id === id), `msg:${img.id}`);
      const perf = await page.evaluate(() => window.imchat.perf());
      if (t && Math.round(t.w) === 88 && perf.textures >= 1) return perf;
      await new Promise((r) => setTimeout(r, 100));
    }
    const t = await page.evaluate((id) => window.imchat.targets().find((x) => x.id === id), `msg:${img.id}`);
    throw new Error(`the thumbnail did not decode (${phase}): ${JSON.stringify({ t, last: (await page.evaluate(() => window.imchat.snapshot())).open?.messages.slice(-2).map((m) => [m.id, m.type]), ids: (await page.evaluate(() => window.imchat.targets())).map((x) => x.id).filter((x) => x.startsWith('msg:')), perf: await page.evaluate(() => window.imchat.perf()), s: (await page.evaluate(() => window.imchat.snapshot())).screen })}`);
  };
  const before = await decoded(b.page, 'first');
  await b.page.evaluate(() => window.imchat.imageBudget(0));
  await tap(b.page, 'back');   // the list draws no thumbnail: its texture goes
  await waitFor(b.page, (s) => s.screen === 'list', 'B: the list');
  let now = null;
  for (let i = 0; i < 50 && !(now && now.textures < before.textures); i++) {
    await new Promise((r) => setTimeout(r, 100));
    now = await b.page.evaluate(() => window.imchat.perf());
  }
  assert.ok(now.textures < before.textures, `let go: ${JSON.stringify({ before, now })}`);
  await tap(b.page, `conv:group:${server.demoGroup}`);
  await waitFor(b.page, (s) => s.screen === 'chat', 'B: back in the chat');
  await decoded(b.page, 'again');   // asked for again and drawn at its size
  await a.ctx.close();
  await b.ctx.close();
});

test('a refused upload: the core shows the server\'s reason and sends nothing', async () => {
  const p = await phone(browser, 'zh-CN');
  await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
  await waitFor(p.page, inChat(server.demoGroup), 'in the chat');
  await p.page.locator('#file').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
  await p.page.locator('#toast').waitFor({ state: 'visible' });
  assert.equal(await p.page.locator('#toast').textContent(), '只支持 PNG、JPEG、GIF、WebP 图片');
  const s = await waitFor(p.page, (x) => x.notice !== '', 'the notice');
  assert.ok(!s.open.messages.some((m) => m.type === 'image' && m.from_id === s.user.id), 'no image message from me');
  assert.equal(await p.page.evaluate(() => window.imchatBlobs.size), 0);
  await p.ctx.close();
});

test('desktop: actions are reachable with the keyboard', async () => {
  const ctx = await browser.newContext({ viewport: { width: 1024, height: 768 }, locale: 'en-US' });
  const page = await ctx.newPage();
  await page.goto(server.base + '/');
  await waitFor(page, (s) => s.screen === 'list' && s.connection === 'online', 'list');
  // Arrow keys move ImGui's keyboard focus; Space activates the focused control.
  let s = null;
  for (let i = 0; i < 6 && (!s || s.screen === 'list'); i++) {
    await page.keyboard.press(i === 0 ? 'ArrowDown' : 'ArrowRight');
    await page.keyboard.press('Space');
    await new Promise((r) => setTimeout(r, 150));
    s = await page.evaluate(() => window.imchat.snapshot());
  }
  assert.notEqual(s.screen, 'list', 'a control was reached and activated without a mouse');
  await ctx.close();
});
