// The UI's text in the phone's own fonts: no font download where the system draws hanzi,
// the bundled subset font only where it cannot (a Chromium whose fontconfig has no CJK font),
// and missingGlyphs() a pure query. Screenshots at DPR 3 in test-output/fonts-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { launch, phone, waitFor, outDir, targetRect } from '../lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

const inChat = (gid) => (s) => s.screen === 'chat' && s.connection === 'online' && s.open && s.open.id === gid;
const TEXT = 'Hi 你好 龘 𠀀 👋';
const isFont = (url) => /\.(ttf|otf|woff2?)(\?|$)/.test(url);

async function sendAndWaitDrawn(p, text) {
  await p.page.locator('#composer').fill(text);
  await p.page.locator('#composer').press('Enter');
  const s = await waitFor(p.page, (x) => x.open.messages.some((m) => m.data === text && m.status === 'sent'), 'sent');
  let missing = null;
  for (let i = 0; i < 100; i++) {
    missing = await p.page.evaluate((t) => window.imchat.missingGlyphs(t), text);
    if (missing && missing.length === 0) break;
    await new Promise((r) => setTimeout(r, 50));
  }
  assert.deepEqual(missing, [], `codepoints still without a glyph: ${JSON.stringify(missing)}`);
  return s.open.messages.find((m) => m.data === text);
}

// A DPR-3 screenshot of one message bubble, to look at the glyphs' edges.
async function shootBubble(p, msg, name) {
  await new Promise((r) => setTimeout(r, 200));
  const t = await targetRect(p.page, `msg:${msg.id}`);
  await p.page.screenshot({ path: path.join(outDir, name), clip: { x: t.x - 4, y: t.y - 4, width: t.w + 8, height: t.h + 8 } });
}

test('system fonts: every glyph drawn with no font file fetched', async () => {
  const p = await phone(browser, 'zh-CN');
  const fetched = [];
  p.page.on('request', (r) => fetched.push(r.url()));
  await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
  await waitFor(p.page, inChat(server.demoGroup), 'in the chat');
  assert.equal(await p.page.evaluate(() => window.imchatFonts.systemCjk), true, 'the system draws hanzi');
  const msg = await sendAndWaitDrawn(p, TEXT);
  await shootBubble(p, msg, 'fonts-system.png');
  await p.page.screenshot({ path: path.join(outDir, 'fonts-system-page.png') });
  assert.deepEqual(fetched.filter(isFont), [], 'no font file requested');
  await p.ctx.close();
});

test('missingGlyphs is a pure query: asking does not add a glyph, drawing the text does', async () => {
  const p = await phone(browser, 'zh-CN');
  await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
  await waitFor(p.page, inChat(server.demoGroup), 'in the chat');
  const rare = '鼹鼠';   // on no screen yet
  for (let i = 0; i < 5; i++) {
    assert.deepEqual(await p.page.evaluate((t) => window.imchat.missingGlyphs(t), rare), [0x9f39, 0x9f20],
      'still missing after being asked');
    await new Promise((r) => setTimeout(r, 100));
  }
  await sendAndWaitDrawn(p, rare);
  await p.ctx.close();
});

test('no CJK system font: the subset font is fetched and every glyph still drawn', async () => {
  const bare = await launch({ env: { ...process.env, FONTCONFIG_FILE: path.resolve('tests/browser/fonts-no-cjk.conf') } });
  try {
    const p = await phone(bare, 'zh-CN');
    const fetched = [];
    p.page.on('request', (r) => fetched.push(r.url()));
    await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
    await waitFor(p.page, inChat(server.demoGroup), 'in the chat');
    assert.equal(await p.page.evaluate(() => window.imchatFonts.systemCjk), false, 'detected: no CJK font');
    const msg = await sendAndWaitDrawn(p, TEXT);
    assert.equal(fetched.filter(isFont).length, 1, `the subset font fetched once: ${fetched.filter(isFont)}`);
    await shootBubble(p, msg, 'fonts-fallback.png');
    await p.page.screenshot({ path: path.join(outDir, 'fonts-fallback-page.png') });
    await p.ctx.close();
  } finally {
    await bare.close();
  }
});
