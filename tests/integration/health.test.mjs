// /healthz and /readyz over a real socket: 200 JSON while the process, the store and the bus
// are up (the 503 paths are unit-tested in tests/server/api_health_test.cpp).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

for (const [route, status] of [['/healthz', 'up'], ['/readyz', 'ready']]) {
  test(`GET ${route} answers 200 ${status}`, async () => {
    const r = await fetch(server.base + route);
    assert.equal(r.status, 200);
    assert.match(r.headers.get('content-type'), /json/);
    assert.equal((await r.json()).data.status, status);
  });
}
