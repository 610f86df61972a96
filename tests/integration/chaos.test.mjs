// Chaos (issue 14): 20 SIGKILLs of one server (SQLite, the same data folder, restarted on the
// same port) under a 200 msg/s send load from 100 sockets in 10 groups of 10 guests. Clients
// behave like imchat's own (tests/lib/cluster_client.mjs): reconnect, catch up after their last
// seq, retry a send with the same client_msg_id until it is acknowledged. Afterwards:
//  - 0 acknowledged messages lost: every acknowledged (seq, id) is in every member's history;
//  - 0 shown twice: no client_msg_id stored twice, no seq holding two messages on any receiver;
//  - every client online again after each restart (bounded wait).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, api } from '../lib/server.mjs';
import { ChatClient, eventually, groupHistory } from '../lib/cluster_client.mjs';

const KILLS = Number(process.env.CHAOS_KILLS || 20);
const CLIENTS = 100, GROUPS = 10, RATE = 200;   // messages per second in all
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const dir = mkdtempSync(path.join(tmpdir(), 'imchat-chaos-'));
let server = null;
const clients = [];
after(async () => {
  for (const c of clients) c.stop();
  await server?.stop({ keepData: true, signal: 'SIGKILL' });
  rmSync(dir, { recursive: true, force: true });
});

test(`${KILLS} SIGKILLs under ${RATE} msg/s over ${CLIENTS} sockets: nothing acknowledged lost or doubled, all back online`, { timeout: 240000 }, async () => {
  // The 100 clients stand for 100 people on 100 addresses: here they share 127.0.0.1, so the
  // per-address connection limit is off (sends in flight open their own HTTP connections).
  const extraArgs = ['--max-conns-per-ip', '0'];
  server = await startServer({ dataDir: dir, extraArgs });
  const port = server.port, base = server.base;
  let up = true;
  const bases = () => (up ? [base] : []);

  // A registered owner makes the groups (anyone joins at once); the guests join them.
  const reg = await api(base, 'POST', '/api/regChat', { body: { username: 'chaosowner', password: 'chaos123', repassword: 'chaos123' } });
  assert.equal(reg.status, 200, reg.text);
  const owner = (await api(base, 'POST', '/api/loginChat', { body: { username: 'chaosowner', password: 'chaos123' } })).json.data;
  const groups = [];
  for (let i = 0; i < GROUPS; i++) {
    const g = await api(base, 'POST', '/api/chat/group/create', { token: owner.token, body: { name: `chaos ${i}` } });
    assert.equal(g.status, 200, g.text);
    groups.push(g.json.data.id ?? g.json.data.group_id ?? g.json.data.group?.id);
  }
  for (let i = 0; i < CLIENTS; i++) {
    const c = new ChatClient(`c${i}`, bases, groups[i % GROUPS]);
    await c.register(base);
    clients.push(c);
  }
  await Promise.all(clients.map((c) => c.connect(base)));
  assert.ok(await eventually(() => clients.every((c) => c.ws && c.caughtUp), 20000), 'all clients online at the start');

  // The load: RATE sends a second, paced by the clock (a busy event loop catches up), each
  // retried with its client_msg_id until acknowledged; at most 500 unanswered at once.
  const acked = new Map();   // cmid -> { group, seq, id }
  const pending = new Set();
  let started = 0, unacked = 0, skipped = 0, stop = false, next = 0, loadSeconds = 0;
  const loader = (async () => {
    const t0 = Date.now();
    while (!stop) {
      const due = Math.floor((Date.now() - t0) * RATE / 1000);
      while (started + skipped < due) {
        if (pending.size >= 500) { skipped++; continue; }   // bounded, as 100 people with 5 unsent each
        const c = clients[next++ % CLIENTS];
        const cmid = `chaos-${started++}`;
        const p = c.send(`${c.name} ${cmid}`, cmid, 60000).then((m) => {
          if (m) acked.set(cmid, { group: c.group, seq: m.seq, id: m.id }); else unacked++;
        }).catch(() => { unacked++; }).finally(() => pending.delete(p));
        pending.add(p);
      }
      await sleep(20);
    }
    loadSeconds = (Date.now() - t0) / 1000;
  })();

  // The kills: each after ~3 s of load; then the same port and data folder again, and every client back.
  const backMs = [];
  try {
    for (let k = 0; k < KILLS; k++) {
      await sleep(2000 + Math.random() * 1000);
      const before = clients.map((c) => c.sockets);
      up = false;
      await server.stop({ keepData: true, signal: 'SIGKILL' });
      await sleep(100 + Math.random() * 400);
      const t = Date.now();
      server = await startServer({ dataDir: dir, port, extraArgs });
      up = true;
      const back = await eventually(() => clients.every((c, i) => c.sockets > before[i] && c.ws), 45000);
      const missing = clients.filter((c, i) => !(c.sockets > before[i] && c.ws)).map((c) => c.name);
      assert.ok(back, `restart ${k + 1}: not back online: ${missing.slice(0, 10).join(', ')} (${missing.length}); ` +
        `${clients[0].name}: ${clients[0].log.slice(-4).join(' | ')}; server: ${server.output().slice(-400)}`);
      backMs.push(Date.now() - t);
    }
  } finally {
    stop = true;
    await loader;
  }
  await Promise.all([...pending]);

  // Every client catches up to the end, then compares with the stored history of its group.
  await Promise.all(clients.map((c) => c.fetchRange(base, c.contig()).catch(() => c.fetchRange(base, 0))));
  const history = new Map();
  for (const g of groups) history.set(g, await groupHistory(base, owner.token, g));
  let lost = 0, doubled = 0, seqClash = 0;
  for (const [g, list] of history) {
    const byCmid = new Map();
    for (const m of list) {
      if (!m.client_msg_id) continue;
      if (byCmid.has(m.client_msg_id)) doubled++;
      byCmid.set(m.client_msg_id, m);
    }
    for (const [cmid, a] of acked) {
      if (a.group !== g) continue;
      const m = byCmid.get(cmid);
      if (!m || m.seq !== a.seq || m.id !== a.id) lost++;
    }
  }
  for (const c of clients) {
    const list = history.get(c.group);
    const bySeq = new Map(list.map((m) => [m.seq, m.id]));
    for (const [cmid, a] of acked) {
      if (a.group !== c.group) continue;
      if (c.seqs.get(a.seq) !== a.id) lost++;            // the receiver does not hold it (or holds another)
    }
    for (const [seq, id] of c.seqs) if (bySeq.has(seq) && bySeq.get(seq) !== id) seqClash++;
  }
  const live = clients.reduce((t, c) => t + c.live.size, 0);
  const liveDup = clients.reduce((t, c) => t + c.liveDup, 0);
  console.log(`chaos: ${KILLS} kills in ${loadSeconds.toFixed(1)} s of load (${(started / loadSeconds).toFixed(0)} sends/s started, ` +
    `${(acked.size / loadSeconds).toFixed(0)}/s acknowledged); ${started} sends started, ${acked.size} acknowledged, ${unacked} not acknowledged ` +
    `by their deadline, ${skipped} skipped (backlog); ${live} live deliveries, ${liveDup} live duplicates ` +
    `(deduped by seq); back online after a restart: max ${Math.max(...backMs)} ms, median ` +
    `${backMs.sort((a, b) => a - b)[backMs.length >> 1]} ms; lost ${lost}, doubled ${doubled}, seq clashes ${seqClash}`);
  assert.equal(lost, 0, 'acknowledged messages lost');
  assert.equal(doubled, 0, 'messages stored twice');
  assert.equal(seqClash, 0, 'a seq holding two different messages');
  assert.equal(unacked, 0, 'sends not acknowledged within 60 s of retries');
  // Sends skipped while 500 were unanswered (a slow machine, right after a restart) are not
  // offered; at least 90% of RATE must have been, or the test did not test its load.
  assert.ok(started >= 0.9 * RATE * loadSeconds, `the load was ${(started / loadSeconds).toFixed(0)} sends/s, not ${RATE}`);
});
