// The built site over real sockets: content-hashed names served immutable, index.html
// revalidated (no-cache, strong ETag, 304 with no body), br/gzip/identity negotiation
// whose bodies decode to the same bytes, no unhashed leftovers, traversal refused.
// Needs both builds (build/ for the server, build-web/site for the files).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import zlib from 'node:zlib';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startServer, webRoot } from '../lib/server.mjs';

const manifest = JSON.parse(readFileSync(path.join(webRoot, 'manifest.json'), 'utf8'));
const HASHED = /^(.*\/)?[^/]+\.[0-9a-f]{8}\.[a-z0-9]+$/;
let server;

before(async () => { server = await startServer(); });
after(async () => { await server.stop(); });

// A raw GET: the bytes as sent (no decoding, no URL normalisation).
function get(target, headers = {}, method = 'GET') {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: server.port, path: target, method, headers }, (res) => {
      const parts = [];
      res.on('data', (d) => parts.push(d));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(parts) }));
    });
    req.on('error', reject);
    req.end();
  });
}

test('the manifest maps each logical name to a content-hashed file that exists', () => {
  assert.equal(manifest['index.html'], 'index.html');
  for (const logical of ['app.js', 'app.wasm', 'fonts/ui.ttf']) {
    const served = manifest[logical];
    assert.match(served, HASHED, logical);
    const ext = path.extname(logical);
    assert.equal(path.extname(served), ext);
    assert.ok(statSync(path.join(webRoot, served)).size > 0, served);
  }
});

test('no unhashed leftovers in the site; every served file has gz and br twins', () => {
  const walk = (dir) => readdirSync(path.join(webRoot, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]);
  const files = walk('');
  const served = new Set(Object.values(manifest));
  for (const f of files) {
    const base = f.replace(/\.(gz|br)$/, '');
    assert.ok(served.has(base) || base === 'manifest.json', `unexpected file in site/: ${f}`);
  }
  for (const f of served) {
    assert.ok(files.includes(f + '.gz'), f + '.gz');
    assert.ok(files.includes(f + '.br'), f + '.br');
  }
});

test('index.html points at the hashed names only (preloads and the page-given font name too)', async () => {
  const page = (await get('/')).body.toString('utf8');
  for (const logical of ['app.js', 'app.wasm', 'fonts/ui.ttf']) {
    assert.ok(page.includes(`"${manifest[logical]}"`) || page.includes(`'${manifest[logical]}'`), logical);
    assert.ok(!page.includes(`"${logical}"`) && !page.includes(`'${logical}'`), `unhashed ${logical} left`);
  }
  assert.match(page, new RegExp(`<link rel="preload" href="${manifest['app.wasm']}" as="fetch" type="application/wasm"`));
  assert.match(page, new RegExp(`<link rel="preload" href="${manifest['app.js']}" as="script"`));
  assert.match(page, new RegExp(`<script src="${manifest['app.js']}" defer>`));
  assert.match(page, new RegExp(`window.IMCHAT_ASSETS = \\{ wasm: '${manifest['app.wasm']}', font: '${manifest['fonts/ui.ttf']}' \\}`));
  assert.ok(!/type="module"|modulepreload/.test(page), 'the modules are bundled into app.js');
});

test('hashed names: immutable, right type, br/gzip/identity decode to the same bytes', async () => {
  const types = { 'app.js': /^text\/javascript/, 'app.wasm': /^application\/wasm$/, 'fonts/ui.ttf': /^font\/ttf$/ };
  for (const [logical, type] of Object.entries(types)) {
    const target = '/' + manifest[logical];
    const plain = await get(target, { 'accept-encoding': 'identity' });
    const gz = await get(target, { 'accept-encoding': 'gzip, deflate' });
    const br = await get(target, { 'accept-encoding': 'gzip, deflate, br' });
    const file = readFileSync(path.join(webRoot, manifest[logical]));
    for (const res of [plain, gz, br]) {
      assert.equal(res.status, 200, logical);
      assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', logical);
      assert.match(res.headers['content-type'], type, logical);
      assert.equal(res.headers.vary, 'Accept-Encoding');
      assert.equal(res.headers.etag, undefined, 'immutable files need no validator');
    }
    assert.equal(plain.headers['content-encoding'], undefined);
    assert.equal(gz.headers['content-encoding'], 'gzip');
    assert.equal(br.headers['content-encoding'], 'br', 'br preferred over gzip');
    assert.ok(plain.body.equals(file), logical + ' identity');
    assert.ok(zlib.gunzipSync(gz.body).equals(file), logical + ' gzip');
    assert.ok(zlib.brotliDecompressSync(br.body).equals(file), logical + ' br');
    assert.ok(br.body.length < gz.body.length, `${logical}: br ${br.body.length} < gzip ${gz.body.length}`);
    assert.equal(Number(br.headers['x-decoded-length']), file.length);
    assert.equal(Number(gz.headers['x-decoded-length']), file.length);
  }
});

test('index.html: no-cache, strong ETag, 304 with no body for /, /index.html and /?group=', async () => {
  for (const target of ['/', '/index.html', `/?group=${server.demoGroup}`]) {
    for (const enc of ['gzip, deflate', 'gzip, deflate, br', 'identity']) {
      const first = await get(target, { 'accept-encoding': enc });
      assert.equal(first.status, 200);
      assert.equal(first.headers['cache-control'], 'no-cache');
      assert.match(first.headers.etag, /^"[0-9a-f]{32}"$/);
      const again = await get(target, { 'accept-encoding': enc, 'if-none-match': first.headers.etag });
      assert.equal(again.status, 304, `${target} ${enc}`);
      assert.equal(again.body.length, 0);
      assert.equal(again.headers.etag, first.headers.etag);
      const stale = await get(target, { 'accept-encoding': enc, 'if-none-match': '"0123"' });
      assert.equal(stale.status, 200);
      assert.ok(stale.body.equals(first.body));
    }
  }
  const gz = await get('/', { 'accept-encoding': 'gzip' });
  const br = await get('/', { 'accept-encoding': 'br' });
  const plain = await get('/', {});
  assert.notEqual(gz.headers.etag, br.headers.etag, 'each encoding its own tag');
  assert.ok(zlib.gunzipSync(gz.body).equals(plain.body));
  assert.ok(zlib.brotliDecompressSync(br.body).equals(plain.body));
  const head = await get('/', { 'if-none-match': plain.headers.etag }, 'HEAD');
  assert.equal(head.status, 304);
});

test('path traversal and folders are still refused', async () => {
  for (const target of ['/../../etc/passwd', '/fonts/../../../etc/passwd', '/..%2f..%2fetc/passwd',
    '/%2e%2e/%2e%2e/etc/passwd', '/fonts', '/fonts/']) {
    const res = await get(target);
    assert.ok(res.status === 400 || res.status === 404, `${target}: ${res.status}`);
    assert.ok(!res.body.toString().includes('root:'), target);
  }
});
