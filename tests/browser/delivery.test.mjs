// Delivery under bad conditions, through the real client: a closed page, and a
// server killed with SIGKILL in the middle of a conversation.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from '../lib/server.mjs';
import { launch, waitFor, twoPhonesInGroup } from '../lib/browser.mjs';

let browser;
after(async () => { await browser?.close(); });

const inChat = (gid) => (s) => s.screen === 'chat' && s.connection === 'online' && s.open && s.open.id === gid;

async function typeAndSend(page, text) {
  await page.locator('#composer').fill(text);
  await page.locator('#composer').press('Enter');
}

async function twoPhonesInTheGroup(server) {
  browser ??= await launch();
  return twoPhonesInGroup(browser, server.base, server.demoGroup);
}

function assertExactlyOnceInOrder(snap, texts, who) {
  const msgs = snap.open.messages;
  const seqs = msgs.map((m) => m.seq);
  assert.deepEqual(seqs, [...seqs].sort((a, b) => a - b), `${who}: in seq order`);
  assert.equal(new Set(seqs).size, seqs.length, `${who}: no seq twice`);
  assert.equal(new Set(msgs.map((m) => m.id)).size, msgs.length, `${who}: no id twice`);
  const got = msgs.filter((m) => texts.includes(m.data)).map((m) => m.data);
  assert.deepEqual(got, texts, `${who}: every message exactly once, in the order sent`);
}

test('page B closed, A sends 20, B reopens and shows all 20 in order with no duplicate', async () => {
  const server = await startServer();
  const { a, b, url } = await twoPhonesInTheGroup(server);
  await b.page.close();   // the context (and its localStorage) stays: B is the same phone

  const texts = Array.from({ length: 20 }, (_, i) => `msg ${String(i + 1).padStart(2, '0')} 第${i + 1}条`);
  for (const t of texts) await typeAndSend(a.page, t);
  const sa = await waitFor(a.page, (s) => texts.every((t) => s.open.messages.some((m) => m.data === t && m.status === 'sent')),
    'A: all 20 acknowledged');
  assertExactlyOnceInOrder(sa, texts, 'A');

  const b2 = await b.ctx.newPage();
  await b2.goto(url);
  const sb = await waitFor(b2, (s) => inChat(server.demoGroup)(s) && texts.every((t) => s.open.messages.some((m) => m.data === t)),
    'B: all 20 after reopening');
  assertExactlyOnceInOrder(sb, texts, 'B');
  await a.ctx.close();
  await b.ctx.close();
  await server.stop();
});

test('SIGKILL mid-conversation: every acknowledged message reaches both exactly once, in seq order', async () => {
  let server = await startServer();
  const { port, dir } = server;
  const { a, b } = await twoPhonesInTheGroup(server);

  const before = ['A1 before', 'B1 before', 'A2 before'];
  await typeAndSend(a.page, before[0]);
  await typeAndSend(b.page, before[1]);
  await typeAndSend(a.page, before[2]);
  await waitFor(a.page, (s) => before.every((t) => s.open.messages.some((m) => m.data === t && m.status === 'sent')), 'A acks');
  await waitFor(b.page, (s) => before.every((t) => s.open.messages.some((m) => m.data === t && m.status === 'sent')), 'B acks');

  // A burst from A, with the server killed in the middle of it (no waiting for acks).
  const burst = Array.from({ length: 10 }, (_, i) => `burst ${i + 1}`);
  for (const t of burst.slice(0, 5)) await typeAndSend(a.page, t);
  await server.stop({ keepData: true, signal: 'SIGKILL' });
  for (const t of burst.slice(5)) await typeAndSend(a.page, t);
  await waitFor(a.page, (s) => s.connection !== 'online', 'A notices the server is gone');
  const during = ['A3 while down', 'B2 while down'];
  await typeAndSend(a.page, during[0]);
  await typeAndSend(b.page, during[1]);
  await new Promise((r) => setTimeout(r, 1500));

  server = await startServer({ dataDir: dir, port });
  const restarted = Date.now();
  await waitFor(a.page, (s) => s.connection === 'online', 'A reconnects', 40000);
  const tA = Date.now() - restarted;
  await waitFor(b.page, (s) => s.connection === 'online', 'B reconnects', 40000);
  const tB = Date.now() - restarted;
  console.log(`# reconnect after restart: A ${tA} ms, B ${tB} ms`);

  const after = ['A4 after', 'B3 after'];
  await typeAndSend(a.page, after[0]);
  await typeAndSend(b.page, after[1]);
  const all = [...before, ...burst, ...during, ...after];
  const done = (s) => all.every((t) => s.open.messages.some((m) => m.data === t && m.status === 'sent'));
  const sa = await waitFor(a.page, done, 'A has everything', 30000);
  const sb = await waitFor(b.page, done, 'B has everything', 30000);
  for (const [snap, who] of [[sa, 'A'], [sb, 'B']]) {
    const seqs = snap.open.messages.map((m) => m.seq);
    assert.deepEqual(seqs, [...seqs].sort((x, y) => x - y), `${who}: seq order`);
    assert.equal(new Set(seqs).size, seqs.length, `${who}: no duplicate`);
    for (const t of all) assert.equal(snap.open.messages.filter((m) => m.data === t).length, 1, `${who}: "${t}" once`);
  }
  // Both sides agree on the order the server committed.
  const order = (s) => s.open.messages.filter((m) => all.includes(m.data)).map((m) => `${m.seq}:${m.data}`);
  assert.deepEqual(order(sa), order(sb));
  console.log(`# kill test: ${all.length} messages, each delivered once to both pages`);
  await a.ctx.close();
  await b.ctx.close();
  await server.stop();
});
