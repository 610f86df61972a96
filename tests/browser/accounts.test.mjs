// One session per account, through the real UI: logging in on a second phone
// signs the first one out with a modal, and it carries on as a guest.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, api } from '../lib/server.mjs';
import { launch, phone, waitFor, outDir, tap, logInThroughTheUi } from '../lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('logging in on page B signs page A out: modal, then guest; B stays online', async () => {
  const reg = await api(server.base, 'POST', '/api/regChat',
    { body: { username: 'alice01', password: 'secret1', repassword: 'secret1' } });
  assert.equal(reg.status, 200, reg.text);

  const a = await phone(browser, 'zh-CN');
  const b = await phone(browser, 'en-US');
  const sa = await logInThroughTheUi(a.page, server.base, 'alice01', 'secret1');
  assert.equal(sa.user.name, 'alice01');
  const sb = await logInThroughTheUi(b.page, server.base, 'alice01', 'secret1');
  assert.equal(sb.user.id, sa.user.id);

  const kicked = await waitFor(a.page, (s) => s.modal && s.user && s.user.role === 'visitor', 'A signed out to a guest');
  assert.match(kicked.modal, /账号异地登录/);
  assert.notEqual(kicked.user.id, sa.user.id);
  await waitFor(a.page, (s) => s.connection === 'online', 'A online again as a guest');
  await a.page.screenshot({ path: path.join(outDir, 'kicked-modal.png') });

  await new Promise((r) => setTimeout(r, 1000));
  const still = await waitFor(b.page, (s) => s.connection === 'online', 'B still online');
  assert.equal(still.user.role, 'user');
  assert.equal(still.modal, null);
  await a.ctx.close();
  await b.ctx.close();
});

test('a wrong password keeps the login screen and says why', async () => {
  await api(server.base, 'POST', '/api/regChat', { body: { username: 'bob0001', password: 'secret1' } });
  const p = await phone(browser, 'zh-CN');
  await p.page.goto(server.base + '/');
  await waitFor(p.page, (s) => s.screen === 'list' && s.connection === 'online', 'list');
  await tap(p.page, 'login');
  await waitFor(p.page, (s) => s.screen === 'login', 'login screen');
  await p.page.locator('#login-username').fill('bob0001');
  await p.page.locator('#login-password').fill('wrong-pass');
  await p.page.locator('#login-submit').click();
  await new Promise((r) => setTimeout(r, 800));
  const s = await waitFor(p.page, (x) => x.screen === 'login', 'still on login');
  assert.equal(s.user.role, 'visitor');
  await p.page.screenshot({ path: path.join(outDir, 'login-error.png') });
  await p.ctx.close();
});
