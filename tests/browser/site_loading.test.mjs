// How the page loads its files: one script and the WASM (compiled while it downloads),
// the buffered fallback when streaming is refused, and a second visit that downloads
// nothing but a 304 for index.html (hashed names come from the HTTP cache).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, webRoot } from '../lib/server.mjs';
import { launch, phone } from '../lib/browser.mjs';

const manifest = JSON.parse(readFileSync(path.join(webRoot, 'manifest.json'), 'utf8'));
let server, browser;

before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser.close(); await server.stop(); });

// Navigates to the demo group and waits for the first frame; returns the static-file
// requests seen by the network layer: {path, status (as on the wire: 304 for a
// revalidation), bytes (over the wire, headers included)}.
async function visit(p, cdp) {
  const seen = new Map(), wire = new Map();
  const onResponse = (e) => {
    const url = new URL(e.response.url);
    if (url.pathname.startsWith('/api/')) return;
    seen.set(e.requestId, { path: url.pathname, status: e.response.status, bytes: 0 });
  };
  const onExtra = (e) => wire.set(e.requestId, e.statusCode);
  const onFinished = (e) => { if (seen.has(e.requestId)) seen.get(e.requestId).bytes = e.encodedDataLength; };
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.responseReceivedExtraInfo', onExtra);
  cdp.on('Network.loadingFinished', onFinished);
  await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
  await p.page.waitForFunction(() => window.imchatPage && window.imchatPage.firstFrameAt, null, { timeout: 30000 });
  await p.page.waitForTimeout(500);
  cdp.off('Network.responseReceived', onResponse);
  cdp.off('Network.responseReceivedExtraInfo', onExtra);
  cdp.off('Network.loadingFinished', onFinished);
  return [...seen.entries()].map(([id, r]) => ({ ...r, status: wire.get(id) || r.status }));
}

test('first visit: index, one script and the WASM compiled while streaming; second visit: a 304', async () => {
  const p = await phone(browser);
  const cdp = await p.ctx.newCDPSession(p.page);
  await cdp.send('Network.enable');
  const first = await visit(p, cdp);
  assert.equal(await p.page.evaluate(() => window.imchatPage.wasmLoad), 'streaming');
  const paths = first.map((r) => r.path).sort();
  const before = ['/', '/' + manifest['app.js'], '/' + manifest['app.wasm']].sort();
  for (const want of before) assert.ok(paths.includes(want), `${want} in ${paths}`);
  assert.ok(paths.every((x) => before.includes(x) || x === '/' + manifest['fonts/ui.ttf']),
    `only index, app.js, app.wasm (and the font after the first frame): ${paths}`);
  assert.ok(!paths.includes('/favicon.ico'));

  const second = await visit(p, cdp);
  const net = second.filter((r) => r.bytes > 0);
  assert.deepEqual(net.map((r) => [r.path, r.status]), [['/', 304]], JSON.stringify(second));
  assert.ok(net[0].bytes < 1024, `second visit: ${net[0].bytes} bytes over the wire`);
  await p.ctx.close();
});

test('streaming refused or missing: the WASM is instantiated from a buffer', async () => {
  for (const patch of [
    () => { WebAssembly.instantiateStreaming = () => Promise.reject(new TypeError('refused')); },
    () => { delete WebAssembly.instantiateStreaming; },
  ]) {
    const p = await phone(browser);
    await p.page.addInitScript(patch);
    await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
    await p.page.waitForFunction(() => window.imchatPage && window.imchatPage.firstFrameAt, null, { timeout: 30000 });
    assert.equal(await p.page.evaluate(() => window.imchatPage.wasmLoad), 'buffered');
    await p.ctx.close();
  }
});
