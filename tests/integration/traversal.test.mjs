// Path traversal (issue 14) over a raw socket: node's fetch resolves `..` before sending, so
// these targets would never reach the server through it. Every one answers 400 or 404 and
// never the bytes of a file outside the site or the uploads folder (/etc/passwd, the SQLite
// database in the data folder).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { rawRequest } from '../lib/raw_http.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

const targets = [
  '/../../etc/passwd',
  '/../../../../../../../../etc/passwd',
  '/%2e%2e/%2e%2e/etc/passwd',
  '/%2E%2E/%2E%2E/etc/passwd',
  '/%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/..%2f..%2f..%2fetc%2fpasswd',
  '/.%2e/.%2e/etc/passwd',
  '/%252e%252e/%252e%252e/etc/passwd',
  '/..\\..\\etc\\passwd',
  '/%5c..%5c..%5cetc%5cpasswd',
  '//etc/passwd',
  '///etc/passwd',
  '/./../etc/passwd',
  '/index.html/../../etc/passwd',
  '/uploads/../../etc/passwd',
  '/uploads/../imchat.db',
  '/uploads/%2e%2e/imchat.db',
  '/uploads/..%2fimchat.db',
  '/uploads//etc/passwd',
  '/uploads/../../../../../../etc/passwd',
  '/api/../../etc/passwd',
  '/%2e%2e/imchat.db',
  '/etc/passwd%00.html',
  'http://127.0.0.1//etc/passwd',
  'http://127.0.0.1/../../etc/passwd',
  'etc/passwd',
  '*',
];

test('traversal targets answer 400 or 404, never a file outside the site', { timeout: 60000 }, async () => {
  for (const target of targets) {
    const r = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.ok(r.status === 400 || r.status === 404, `${target}: ${r.status} ${String(r.body).slice(0, 80)}`);
    assert.doesNotMatch(String(r.body), /root:|SQLite format/, target);
  }
});

test('the same targets with HEAD and with an Accept-Encoding that would pick a .gz twin', { timeout: 60000 }, async () => {
  for (const target of targets) {
    for (const extra of ['Accept-Encoding: gzip, br\r\n']) {
      const r = await rawRequest(server.port, `GET ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\n${extra}Connection: close\r\n\r\n`);
      assert.ok(r.status === 400 || r.status === 404, `${target}: ${r.status}`);
      assert.doesNotMatch(String(r.body), /root:|SQLite format/, target);
    }
    const h = await rawRequest(server.port, `HEAD ${target} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`);
    assert.ok(h.status === 400 || h.status === 404 || h.status === 0, `HEAD ${target}: ${h.status}`);
  }
});

test('a real file still serves (the checks do not refuse everything)', { timeout: 10000 }, async () => {
  const r = await rawRequest(server.port, 'GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
  assert.equal(r.status, 200);
});
