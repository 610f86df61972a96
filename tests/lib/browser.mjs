// Debian's Chromium driven by playwright-core (no browser download).
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { root } from './server.mjs';

export const outDir = path.join(root, 'test-output');
mkdirSync(outDir, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--no-first-run', '--disable-quic'],
  });
}

// A phone: 390x844 CSS px at DPR 3, touch.
export async function phone(browser, locale = 'zh-CN') {
  const ctx = await browser.newContext({
    viewport: { width: 390, height: 844 }, deviceScaleFactor: 3, isMobile: true, hasTouch: true, locale,
  });
  const page = await ctx.newPage();
  page.on('pageerror', (e) => console.error('[pageerror]', e.message));
  return { ctx, page };
}

export async function snapshot(page) {
  return page.evaluate(() => (window.imchat && window.imchat.snapshot()) || null);
}

// Polls snapshot() until pred(snapshot) is true.
export async function waitFor(page, pred, what, timeout = 15000) {
  const start = Date.now();
  let last = null;
  while (Date.now() - start < timeout) {
    last = await snapshot(page).catch(() => null);
    if (last && pred(last)) return last;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}; last snapshot: ${JSON.stringify(last)}`);
}
