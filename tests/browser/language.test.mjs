// Every string the DOM page shows (buttons, placeholders, labels, the loading text)
// comes from the core's one i18n table: Settings -> English changes all of them,
// a reload keeps the choice, and 中文 brings the Chinese ones back.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { launch, phone, waitFor, tap, outDir } from '../lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

// Text nodes and user-facing attributes of every element in the page, hidden ones
// included (a field shown later must not keep the old language). The aria-live log
// mirrors messages, not UI strings.
const domStrings = (page) => page.evaluate(() => {
  const out = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('#sr-log')) continue;
    for (const n of el.childNodes) if (n.nodeType === Node.TEXT_NODE && n.textContent.trim()) out.push(n.textContent.trim());
    for (const a of ['placeholder', 'aria-label', 'title', 'alt']) {
      const v = el.getAttribute(a);
      if (v) out.push(v);
    }
  }
  return out;
});
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
const ZH = ['发送', '输入消息', '登录', '注册', '用户名（4-20个字符）', '密码（6-20个字符）', '取消', '确定', '返回', '刷新', '发送图片', 'imchat 加载中…'];
const EN = ['Send', 'Message', 'Log in', 'Register', 'Username (4-20 characters)', 'Password (6-20 characters)', 'Cancel', 'OK', 'Back', 'Reload', 'Send an image', 'imchat loading…'];
const onList = (s) => s.screen === 'list' && s.connection === 'online';

async function expectStrings(page, want, lang) {
  // The page re-reads the strings right after the core's language changes.
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
  const got = await domStrings(page);
  for (const w of want) assert.ok(got.includes(w), `"${w}" on the page; got ${JSON.stringify(got)}`);
  return got;
}

test('Settings -> English changes every DOM string; a reload keeps it; 中文 brings Chinese back', async () => {
  const p = await phone(browser, 'zh-CN');
  await p.page.goto(server.base + '/');
  await waitFor(p.page, onList, 'the list');
  await expectStrings(p.page, ZH, 'zh-CN');

  await tap(p.page, 'settings');
  await waitFor(p.page, (s) => s.screen === 'settings', 'settings');
  await tap(p.page, 'lang:en');
  let got = await expectStrings(p.page, EN, 'en');
  assert.deepEqual(got.filter((t) => CJK.test(t)), [], 'no Chinese string left in English');
  await p.page.screenshot({ path: path.join(outDir, 'language-english.png') });

  await p.page.reload();
  await waitFor(p.page, onList, 'the list after a reload');
  got = await expectStrings(p.page, EN, 'en');
  assert.deepEqual(got.filter((t) => CJK.test(t)), [], 'still English after a reload');

  await tap(p.page, 'settings');
  await waitFor(p.page, (s) => s.screen === 'settings', 'settings');
  await tap(p.page, 'lang:zh');
  got = await expectStrings(p.page, ZH, 'zh-CN');
  assert.deepEqual(got.filter((t) => EN.includes(t) && !ZH.includes(t)), [], 'no English string left in Chinese');
  await p.ctx.close();
});
