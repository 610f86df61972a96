// Debian's Chromium driven by playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { after } from 'node:test';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { root } from './server.mjs';

export const outDir = path.join(root, 'test-output');
mkdirSync(outDir, { recursive: true });

// extra: more launch options, e.g. { env } (a FONTCONFIG_FILE hiding fonts from the page);
// extra.args are added to ours (e.g. Chromium's fake media devices).
export async function launch(extra = {}) {
  const { args = [], ...rest } = extra;
  const browser = await chromium.launch({
    ...rest,
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic', ...args],
  });
  // Every page of every context is watched, however the test made it.
  const newContext = browser.newContext.bind(browser);
  browser.newContext = async (...args) => {
    const ctx = await newContext(...args);
    ctx.on('page', watch);
    return ctx;
  };
  return browser;
}

// A page error (an uncaught exception, a WASM abort) fails the test: snapshot() and
// waitFor() throw once one happened, and the file fails in an after hook if none of them
// ran afterwards. A test that provokes errors on purpose says so with allowPageErrors(page).
const pageErrors = [];
const allowed = new WeakSet();
function watch(page) {
  page.on('pageerror', (e) => {
    console.error('[pageerror]', e.message);
    if (!allowed.has(page)) pageErrors.push(`${page.url()}: ${e.message}`);
  });
  page.on('console', (m) => {
    if (m.type() === 'error' && /Aborted\(|RuntimeError/.test(m.text()) && !allowed.has(page))
      pageErrors.push(`${page.url()}: ${m.text()}`);
  });
}
export function allowPageErrors(page) { allowed.add(page); }
export function takePageErrors() { return pageErrors.splice(0); }
function throwIfPageErrors() {
  if (pageErrors.length) throw new Error(`page error: ${takePageErrors().join('\n')}`);
}
if (process.env.NODE_TEST_CONTEXT) {
  after(() => throwIfPageErrors());
}

// A phone: 390x844 CSS px at DPR 3, touch.
export async function phone(browser, locale = 'zh-CN') {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale,
  });
  const page = await ctx.newPage();   // watched: launch() hooks every context's pages
  return { ctx, page };
}

export async function snapshot(page) {
  throwIfPageErrors();
  return page.evaluate(() => (window.imchat && window.imchat.snapshot()) || null);
}

// Polls snapshot() until pred(snapshot) is true.
export async function waitFor(page, pred, what, timeout = 15000) {
  const start = Date.now();
  let last = null;
  while (Date.now() - start < timeout) {
    throwIfPageErrors();
    last = await snapshot(page).catch(() => null);
    if (last && pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(last)}`);
}

// Where the UI drew a named control (window.imchat.targets()), polled until it exists.
// What the last frame drew that is not a control (window.imchat.drawn(), README), and a wait on it.
export const drawn = (page) => page.evaluate(() => window.imchat.drawn());
export async function waitDrawn(page, pred, what, timeout = 15000) {
  const start = Date.now();
  let last = [];
  while (Date.now() - start < timeout) {
    last = await drawn(page).catch(() => []);
    if (pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; drawn: ${JSON.stringify(last)}`);
}

export async function targetRect(page, id, timeout = 10000) {
  const start = Date.now();
  for (;;) {
    const t = await page.evaluate((want) => window.imchat.targets().find((x) => x.id === want), id);
    if (t) return t;
    if (Date.now() - start > timeout) {
      const have = await page.evaluate(() => window.imchat.targets().map((x) => x.id));
      throw new Error(`no target "${id}"; have ${JSON.stringify(have)}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

// A finger tap on a named control, scrolling it into view first (mouse wheel over the list).
export async function tap(page, id) {
  let t = await targetRect(page, id);
  const vh = page.viewportSize().height;
  const hidden = (r) => r.y + r.h / 2 > vh - 56 || r.y + r.h / 2 < 48;   // under the composer or the top bar
  for (let i = 0; i < 20 && hidden(t); i++) {
    await page.mouse.move(page.viewportSize().width / 2, vh / 2);
    await page.mouse.wheel(0, t.y < 48 ? -200 : 200);
    await new Promise((r) => setTimeout(r, 100));
    t = await targetRect(page, id);
  }
  await page.touchscreen.tap(t.x + t.w / 2, t.y + t.h / 2);
}

// Answers the DOM prompt the UI opened (group name, reason, ...).
export async function answerPrompt(page, text) {
  await page.locator('#prompt-input').waitFor({ state: 'visible' });
  await page.locator('#prompt-input').fill(text);
  await page.locator('#prompt-ok').click();
}

// From the conversation list: Log in (or Register) through the DOM login form.
export async function logInThroughTheUi(page, base, username, password, { register = false, from = '/' } = {}) {
  if (from !== null) await page.goto(base + from);
  await waitFor(page, (s) => s.screen === 'list' && s.connection === 'online', 'conversation list');
  await tap(page, 'login');
  await waitFor(page, (s) => s.screen === 'login', 'login screen');
  await page.locator('#login-username').fill(username);
  await page.locator('#login-password').fill(password);
  await page.locator(register ? '#signup-submit' : '#login-submit').click();
  return waitFor(page, (s) => s.user && s.user.role === 'user' && s.connection === 'online', 'logged in and online');
}

// Two phones that opened a group's join link and are online in its chat.
export async function twoPhonesInGroup(browser, base, gid, locales = ['zh-CN', 'zh-CN']) {
  const url = `${base}/?group=${gid}`;
  const a = await phone(browser, locales[0]);
  const b = await phone(browser, locales[1]);
  await a.page.goto(url);
  await b.page.goto(url);
  const online = (s) => s.screen === 'chat' && s.connection === 'online' && s.open && s.open.id === gid;
  await waitFor(a.page, online, 'A in the chat');
  await waitFor(b.page, online, 'B in the chat');
  return { a, b, url };
}
