// The emoji panel and stickers (issue 13), and long-message collapse (issue 14), end to end
// on a real server. Two phones in a group: A opens the panel, taps emoji into the composer
// (at the caret, the keyboard not opened), sends; B shows the text with every glyph drawn.
// A sends a sticker from the stickers tab; B draws it (big) and an unknown key as a placeholder.
// A long text sent on A is folded on B with 展开. Screenshots in test-output/emoji-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api } from '../lib/server.mjs';
import { launch, waitFor, outDir, targetRect, tap, twoPhonesInGroup, drawn, waitDrawn } from '../lib/browser.mjs';

let server, browser, a, b;
before(async () => {
  server = await startServer();
  browser = await launch();
  ({ a, b } = await twoPhonesInGroup(browser, server.base, server.demoGroup));
});
after(async () => { await browser?.close(); await server?.stop(); });

const tokenOf = (page) => page.evaluate(() => JSON.parse(localStorage.getItem('imchat.user')).token);

test('emoji from the panel go in at the caret, are sent, and show on B', async () => {
  const { page } = a;
  await page.locator('#composer').fill('ab');
  await page.locator('#composer').evaluate((el) => el.setSelectionRange(1, 1));   // caret between a and b
  await page.locator('#composer').evaluate((el) => el.blur());                    // keyboard closed
  await page.locator('#emoji-btn').tap();
  await page.locator('#emoji-panel').waitFor({ state: 'visible' });
  await page.waitForTimeout(300);   // the app lays the composer out again above the panel
  const cells = page.locator('#emoji-grid button.em');
  assert.ok(await cells.count() >= 36, 'a few dozen emoji');
  const box = await cells.first().boundingBox();
  assert.ok(box.width >= 40 && box.height >= 40, `touch-sized cells: ${JSON.stringify(box)}`);
  // The chat shrank above the panel: the composer sits right above it, on screen.
  const comp = await page.locator('#composer-box').boundingBox(), panel = await page.locator('#emoji-panel').boundingBox();
  assert.ok(Math.abs(comp.y + comp.height - panel.y) <= 2, `composer above the panel: ${JSON.stringify({ comp, panel })}`);
  await cells.nth(0).tap();   // 😀
  await cells.nth(6).tap();   // 😂
  assert.equal(await page.locator('#composer').inputValue(), 'a😀😂b', 'inserted at the caret, in order');
  assert.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), '',
    'the text field was not focused (no keyboard popped up)');
  await page.locator('#emoji-grid button.del').tap();
  assert.equal(await page.locator('#composer').inputValue(), 'a😀b', 'backspace removes one whole emoji');
  await page.waitForTimeout(300);
  await page.screenshot({ path: path.join(outDir, 'emoji-panel.png') });
  await page.locator('#send').tap();
  const text = 'a😀b';
  await waitFor(page, (s) => s.open.messages.some((m) => m.data === text && m.status === 'sent'), 'sent on A');
  const sb = await waitFor(b.page, (s) => s.open.messages.some((m) => m.data === text), 'shows on B');
  assert.ok(sb);
  let missing = null;
  for (let i = 0; i < 100 && !(missing && missing.length === 0); i++) {
    missing = await b.page.evaluate((t) => window.imchat.missingGlyphs(t), text);
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(missing, [], 'B draws every glyph (the emoji too)');
  // Tapping the text field closes the panel (the keyboard takes its place).
  await page.locator('#composer').tap();
  await page.locator('#emoji-panel').waitFor({ state: 'hidden' });
});

test('a sticker sent on A shows on B; an unknown key shows as a placeholder', async () => {
  const { page } = a;
  await page.locator('#emoji-btn').tap();
  await page.locator('#emoji-tab-stickers').tap();
  const st = page.locator('#emoji-grid button.st');
  assert.ok(await st.count() >= 12);
  await page.waitForTimeout(200);
  await page.screenshot({ path: path.join(outDir, 'emoji-stickers-tab.png') });
  await page.locator('#emoji-grid button[data-key="thumbs_up"]').tap();
  await waitFor(page, (s) => s.open.messages.some((m) => m.type === 'emoticon' && m.data === 'thumbs_up' && m.status === 'sent'),
    'sticker sent on A');
  // An unknown key, as another client (e.g. the reference's) would send it.
  const sent = await api(server.base, 'POST', '/api/chat/socket/sendmessage', { token: await tokenOf(page),
    body: { sendto_id: server.demoGroup, chatType: 'group', type: 'emoticon', data: 'smile_01', options: '' } });
  assert.equal(sent.status, 200, sent.text);
  const s = await waitFor(b.page, (x) => x.open.messages.some((m) => m.data === 'smile_01'), 'both on B');
  const m = s.open.messages.find((x) => x.type === 'emoticon' && x.data === 'thumbs_up');
  assert.ok(m);
  await waitDrawn(b.page, (d) => d.includes('sticker:thumbs_up') && d.includes('sticker:?smile_01'), 'B draws both');
  const r = await targetRect(b.page, `msg:${m.id}`);
  assert.ok(r.w >= 90 && r.h >= 90, `drawn big: ${JSON.stringify(r)}`);
  await b.page.screenshot({ path: path.join(outDir, 'emoji-sticker-on-b.png') });
  await page.keyboard.press('Escape');
  await page.locator('#emoji-panel').waitFor({ state: 'hidden' });
});

test('a text taller than two screens is folded on B with 展开, expands and folds again', async () => {
  const long = Array.from({ length: 300 }, (_, i) => `第${i + 1}行 line ${i + 1}`).join('\n');
  await a.page.locator('#composer').fill(long);
  await a.page.locator('#send').tap();
  const s = await waitFor(b.page, (x) => x.open.messages.some((m) => m.data === long && m.collapsed === true), 'folded on B');
  const m = s.open.messages.find((x) => x.data === long);
  await targetRect(b.page, `expand:${m.id}`);
  await tap(b.page, `expand:${m.id}`);
  await waitFor(b.page, (x) => x.open.messages.some((y) => y.id === m.id && y.collapsed === false), 'expanded');
  // Expanded, the link is at the text's end, ~6,000 px below: scroll down to it.
  await b.page.mouse.move(195, 400);
  for (let i = 0; i < 8; i++) { await b.page.mouse.wheel(0, 1500); await new Promise((r) => setTimeout(r, 50)); }
  await tap(b.page, `collapse:${m.id}`);
  await waitFor(b.page, (x) => x.open.messages.some((y) => y.id === m.id && y.collapsed === true), 'folded again');
  await new Promise((r) => setTimeout(r, 300));
  await b.page.screenshot({ path: path.join(outDir, 'emoji-collapsed-long.png') });
});
