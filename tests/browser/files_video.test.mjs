// Files and videos (issue 13, client side), two phones in the demo group:
//  - a file picked through the "+" menu on A downloads byte-identical on B (sha256), under its name;
//  - a video recorded in A's page (canvas + MediaRecorder, made at test time) shows its poster on
//    B, and a tap plays it in a DOM <video> (Escape closes it);
//  - a throttled upload shows its progress, and its x cancels it (nothing reaches B);
//  - a failed upload shows failed and a tap uploads it again;
//  - photos likewise: a pending bubble showing the picked photo with its percent, x, retry.
// Screenshots of B's chat: test-output/files.png and video.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { startServer } from '../lib/server.mjs';
import { launch, waitFor, tap, targetRect, outDir, twoPhonesInGroup, drawn, waitDrawn } from '../lib/browser.mjs';

let server, browser, a, b;
before(async () => {
  server = await startServer();
  browser = await launch();
  ({ a, b } = await twoPhonesInGroup(browser, server.base, server.demoGroup));
});
after(async () => { await browser?.close(); await server?.stop(); });

const sha = (buf) => createHash('sha256').update(buf).digest('hex');
const lastOfType = (s, type) => s.open.messages.filter((m) => m.type === type).at(-1);

// Picks through the DOM menu: "+" then the item, answering the file chooser.
async function pickThroughMenu(page, item, file) {
  await page.locator('#attach').click();
  await page.locator('#attach-menu').waitFor({ state: 'visible' });
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator(`[data-pick=${item}]`).click()]);
  await chooser.setFiles(file);
  assert.equal(await page.locator('#attach-menu').isVisible(), false, 'the menu closes');
}

test('a file sent on A downloads byte-identical on B, under its name', { timeout: 60000 }, async () => {
  const bytes = randomBytes(300 * 1024);
  await pickThroughMenu(a.page, 'file', { name: '报告.pdf', mimeType: 'application/pdf', buffer: bytes });
  const sa = await waitFor(a.page, (s) => lastOfType(s, 'file')?.status === 'sent', 'A: the file sent');
  const mine = lastOfType(sa, 'file');
  assert.equal(mine.file_name, '报告.pdf');
  assert.equal(mine.file_size, bytes.length);
  assert.match(mine.data, /^\/uploads\//);
  const sb = await waitFor(b.page, (s) => lastOfType(s, 'file')?.id === mine.id, 'B: the file message');
  const theirs = lastOfType(sb, 'file');
  assert.equal(theirs.file_name, '报告.pdf');
  assert.equal(theirs.file_size, 307200);
  await waitDrawn(b.page, (d) => d.includes(`file:${mine.id}:pdf`), 'B: the file bubble with a PDF icon');
  const [download] = await Promise.all([b.page.waitForEvent('download', { timeout: 15000 }), tap(b.page, `file:${mine.id}`)]);
  assert.equal(download.suggestedFilename(), '报告.pdf');
  const got = await readFile(await download.path());
  assert.equal(got.length, bytes.length);
  assert.equal(sha(got), sha(bytes), 'byte-identical');
  await b.page.screenshot({ path: path.join(outDir, 'files.png') });
});

test('a video recorded on A shows its poster on B and plays in a <video>', { timeout: 90000 }, async () => {
  // A real WebM made by the page: a moving canvas recorded for 1.5 s (in front: a background
  // page's timers run once a second).
  await a.page.bringToFront();
  const b64 = await a.page.evaluate(async () => {
    const c = Object.assign(document.createElement('canvas'), { width: 320, height: 240 });
    const g = c.getContext('2d');
    const start = performance.now();
    const draw = () => {
      const t = (performance.now() - start) / 1000;
      g.fillStyle = '#1d6fd8'; g.fillRect(0, 0, 320, 240);
      g.fillStyle = '#ffd400'; g.fillRect(40 + t * 60, 80, 80, 80);
      g.fillStyle = '#fff'; g.font = '28px sans-serif'; g.fillText('imchat ' + t.toFixed(1), 20, 40);
    };
    draw();
    const paint = setInterval(draw, 30);
    const r = new MediaRecorder(c.captureStream(30), { mimeType: 'video/webm' });
    const chunks = [];
    let bytes = 0;
    r.ondataavailable = (e) => { chunks.push(e.data); bytes += e.data.size; };
    const done = new Promise((res) => { r.onstop = res; });
    r.start(250);
    // 1.5 s of frames, and some bytes of them (a loaded machine encodes late); at most 15 s.
    const t0 = performance.now();
    while ((performance.now() - t0 < 1500 || bytes < 4000) && performance.now() - t0 < 15000)
      await new Promise((res) => setTimeout(res, 100));
    r.stop();
    await done;
    clearInterval(paint);
    const buf = new Uint8Array(await new Blob(chunks).arrayBuffer());
    let s = '';
    for (const x of buf) s += String.fromCharCode(x);
    return btoa(s);
  });
  const video = Buffer.from(b64, 'base64');
  const uploads = [];
  const onResponse = async (r) => {
    if (r.url().includes('/api/chat/upload')) uploads.push(`${r.status()} ${(await r.text().catch(() => '')).slice(0, 200)}`);
  };
  a.page.on('response', onResponse);
  await pickThroughMenu(a.page, 'video', { name: 'clip.webm', mimeType: 'video/webm', buffer: video });
  const sa = await waitFor(a.page, (s) => lastOfType(s, 'video')?.status === 'sent', 'A: the video sent', 30000)
    .catch((e) => { throw new Error(`${e.message}; uploads: ${uploads.join(' | ')}`); });
  a.page.off('response', onResponse);
  const mine = lastOfType(sa, 'video');
  assert.match(mine.poster, /^\/uploads\/.+\.jpg$/, 'a poster frame was made and uploaded');
  assert.ok(mine.duration > 0.5 && mine.duration < 5, `duration ${mine.duration}`);
  const sb = await waitFor(b.page, (s) => lastOfType(s, 'video')?.id === mine.id, 'B: the video message');
  assert.equal(lastOfType(sb, 'video').poster, mine.poster);
  // The poster is a real frame (the blue canvas with its yellow square), not a black one.
  const rgb = await b.page.evaluate(async (url) => {
    const bmp = await createImageBitmap(await (await fetch(url)).blob());
    const c = Object.assign(document.createElement('canvas'), { width: bmp.width, height: bmp.height });
    const g = c.getContext('2d');
    g.drawImage(bmp, 0, 0);
    const d = g.getImageData(0, 0, c.width, c.height).data;
    const s = [0, 0, 0];
    for (let i = 0; i < d.length; i += 4) { s[0] += d[i]; s[1] += d[i + 1]; s[2] += d[i + 2]; }
    return s.map((x) => x / (d.length / 4));
  }, mine.poster);
  assert.ok(rgb[2] > 100, `the poster is the recorded frame, mean rgb ${rgb.map(Math.round)}`);
  await waitDrawn(b.page, (d) => d.includes(`video:${mine.id}:poster`), 'B: the poster drawn from its texture');
  await b.page.screenshot({ path: path.join(outDir, 'video.png') });
  await tap(b.page, `video:${mine.id}`);
  await b.page.locator('#player').waitFor({ state: 'visible', timeout: 5000 });
  const src = await b.page.locator('#player-video').evaluate((v) => v.currentSrc || v.src);
  assert.ok(src.endsWith(mine.data), src);
  await b.page.waitForFunction(() => document.getElementById('player-video').readyState >= 1, null, { timeout: 10000 });
  await b.page.keyboard.press('Escape');
  await b.page.locator('#player').waitFor({ state: 'hidden', timeout: 5000 });
});

test('a slow upload shows progress and its x cancels it', { timeout: 90000 }, async () => {
  const cdp = await a.ctx.newCDPSession(a.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 256 * 1024 });
  try {
    const bytes = randomBytes(4 * 1024 * 1024);
    await a.page.locator('#file-any').setInputFiles({ name: 'slow.bin', mimeType: 'application/octet-stream', buffer: bytes });
    const s = await waitFor(a.page, (x) => {
      const m = lastOfType(x, 'file');
      return m && m.file_name === 'slow.bin' && m.upload_progress > 0.02 && m.upload_progress < 0.9;
    }, 'A: progress on the pending bubble', 30000);
    const m = lastOfType(s, 'file');
    assert.equal(m.status, 'pending');
    await targetRect(a.page, `cancel:${m.client_msg_id}`);
    await a.page.screenshot({ path: path.join(outDir, 'upload_progress.png') });
    await tap(a.page, `cancel:${m.client_msg_id}`);
    await waitFor(a.page, (x) => !x.open.messages.some((y) => y.client_msg_id === m.client_msg_id), 'A: the bubble removed');
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  }
  await new Promise((r) => setTimeout(r, 1000));
  const sb = await waitFor(b.page, (x) => x.open, 'B');
  assert.ok(!sb.open.messages.some((x) => x.file_name === 'slow.bin'), 'nothing reached B');
});

test('a failed upload shows failed, and a tap uploads it again', { timeout: 60000 }, async () => {
  let refused = 0;
  await a.page.route('**/api/chat/upload**', (route) => { refused++; return route.abort('connectionreset'); });
  const bytes = randomBytes(20 * 1024);
  await a.page.locator('#file-any').setInputFiles({ name: 'retry.zip', mimeType: 'application/zip', buffer: bytes });
  const s = await waitFor(a.page, (x) => lastOfType(x, 'file')?.file_name === 'retry.zip' && lastOfType(x, 'file').status === 'failed',
    'A: the upload failed');
  const m = lastOfType(s, 'file');
  assert.equal(m.retry, true);
  assert.ok(refused >= 1);
  await targetRect(a.page, `failed:${m.client_msg_id}`);
  await a.page.unroute('**/api/chat/upload**');
  await tap(a.page, `retry:${m.client_msg_id}`);
  const sa = await waitFor(a.page, (x) => x.open.messages.some((y) => y.client_msg_id === m.client_msg_id && y.status === 'sent'),
    'A: sent after the retry');
  const sent = sa.open.messages.find((y) => y.client_msg_id === m.client_msg_id);
  await waitFor(b.page, (x) => x.open.messages.some((y) => y.id === sent.id && y.file_name === 'retry.zip'), 'B: the retried file');
  await waitDrawn(b.page, (d) => d.includes(`file:${sent.id}:zip`), 'B: a zip icon');
});

// Photos go the same way (issue 13): at once a pending bubble showing the picked photo (its
// object URL), the percent over it, the x cancels; a failed one goes again by a tap.
async function noisyPng(page, w, h) {
  const b64 = await page.evaluate(([w, h]) => {
    const c = document.createElement('canvas'); c.width = w; c.height = h;
    const g = c.getContext('2d'); const d = g.createImageData(w, h);
    for (let i = 0; i < d.data.length; i++) d.data[i] = (i % 4 === 3) ? 255 : (Math.random() * 256) | 0;
    g.putImageData(d, 0, 0);
    return c.toDataURL('image/png').split(',')[1];
  }, [w, h]);
  return Buffer.from(b64, 'base64');
}

test('a photo shows at once from the picked file with its progress, and its x cancels it', { timeout: 90000 }, async () => {
  const png = await noisyPng(a.page, 700, 700);   // ~2 MB: noise does not compress
  const cdp = await a.ctx.newCDPSession(a.page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions',
    { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: 128 * 1024 });
  try {
    await a.page.locator('#file').setInputFiles({ name: 'big.png', mimeType: 'image/png', buffer: png });
    const s = await waitFor(a.page, (x) => {
      const m = lastOfType(x, 'image');
      return m && m.status === 'pending' && m.upload_progress > 0.02 && m.upload_progress < 0.9;
    }, 'A: progress on the pending photo', 30000);
    const m = lastOfType(s, 'image');
    assert.equal(m.data, '', 'not uploaded yet');
    // The photo itself is drawn (not the grey placeholder), under the percent.
    await waitDrawn(a.page, (d) => d.some((x) => x.startsWith(`image:${m.client_msg_id}:shown:uploading:`)),
      'A: the preview under the percent');
    await targetRect(a.page, `cancel:${m.client_msg_id}`);
    await a.page.screenshot({ path: path.join(outDir, 'photo_progress.png') });
    await tap(a.page, `cancel:${m.client_msg_id}`);
    await waitFor(a.page, (x) => !x.open.messages.some((y) => y.client_msg_id === m.client_msg_id), 'A: the bubble removed');
    assert.equal(await a.page.evaluate(() => window.imchatBlobs.size), 0, 'the picked file let go');
  } finally {
    await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 0, downloadThroughput: -1, uploadThroughput: -1 });
    await cdp.detach();
  }
  await new Promise((r) => setTimeout(r, 1000));
  const sb = await waitFor(b.page, (x) => x.open, 'B');
  const before = sb.open.messages.filter((x) => x.type === 'image').length;
  assert.equal(before, 0, 'nothing reached B');
});

test('a photo whose upload failed shows failed over the photo, and a tap sends it', { timeout: 60000 }, async () => {
  const png = await noisyPng(a.page, 60, 30);
  await a.page.route('**/api/chat/upload**', (route) => route.abort('connectionreset'));
  await a.page.locator('#file').setInputFiles({ name: 'retry.png', mimeType: 'image/png', buffer: png });
  const s = await waitFor(a.page, (x) => lastOfType(x, 'image')?.status === 'failed', 'A: the photo failed');
  const m = lastOfType(s, 'image');
  assert.equal(m.retry, true);
  await waitDrawn(a.page, (d) => d.includes(`image:${m.client_msg_id}:shown:failed`), 'A: failed over the preview');
  await a.page.unroute('**/api/chat/upload**');
  await tap(a.page, `retry:${m.client_msg_id}`);
  const sa = await waitFor(a.page, (x) => x.open.messages.some((y) => y.client_msg_id === m.client_msg_id && y.status === 'sent'),
    'A: sent after the retry');
  const sent = sa.open.messages.find((y) => y.client_msg_id === m.client_msg_id);
  assert.match(sent.data, /^\/uploads\/[0-9a-f]{32}\.png$/);
  await waitFor(b.page, (x) => x.open.messages.some((y) => y.id === sent.id && y.type === 'image'), 'B: the retried photo');
  // B's thumbnail decodes to the photo's size (60x30 plus padding).
  let t = null;
  for (let i = 0; i < 50 && !(t && Math.round(t.w) === 68); i++) {
    t = await b.page.evaluate((id) => window.imchat.targets().find((x) => x.id === id), `msg:${sent.id}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(Math.round(t.w), 68);
});
