// PostgreSQL restarted (pg_ctl restart -m fast: connections cut) under two imchat processes
// taking sends: only requests in flight during the restart fail, each with a 5xx and the
// {msg:"fail",data} envelope; no process exits; requests succeed again afterwards without
// restarting imchat.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, clusterMissing } from '../lib/cluster.mjs';
import { ChatClient } from '../lib/cluster_client.mjs';
import { api } from '../lib/server.mjs';

const missing = clusterMissing();
if (missing) console.log(`# cluster_pg skipped: ${missing}`);

let cluster;
after(async () => { await cluster?.stop(); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

test('PostgreSQL restart: only in-flight requests fail (5xx envelope), then all succeed', { skip: missing || false, timeout: 120000 }, async () => {
  cluster = await startCluster({ processes: 2 });
  const nodes = [...cluster.nodes];
  const group = nodes[0].demoGroup;
  const clients = Array.from({ length: 4 }, (_, i) => new ChatClient(`c${i}`, () => [nodes[i % 2].base], group));
  for (const c of clients) await c.register(nodes[0].base);

  // Plain requests (no retry): each recorded with its start and end time and its answer.
  const results = [];
  let sending = true;
  const loops = clients.map(async (c, ci) => {
    const base = nodes[ci % 2].base;
    for (let k = 0; sending; k++) {
      const t0 = Date.now();
      let r;
      try {
        r = await api(base, 'POST', '/api/chat/socket/sendmessage', { token: c.user.token,
          body: { sendto_id: group, chatType: 'group', type: 'text', data: `pg ${k}`, options: '', client_msg_id: `pg-${ci}-${k}` } });
      } catch (e) { r = { status: 0, text: e.message, json: null }; }
      results.push({ t0, t1: Date.now(), status: r.status, json: r.json, text: r.text, base });
      await sleep(50);
    }
  });
  await sleep(1000);
  const restartFrom = Date.now();
  await cluster.restartPg();
  const restartTo = Date.now();
  await sleep(3000);
  sending = false;
  await Promise.all(loops);

  for (const n of nodes) assert.equal(n.proc.exitCode, null, `${n.base} exited:\n${n.output().slice(-2000)}`);
  const failed = results.filter((r) => r.status !== 200);
  for (const f of failed) {
    assert.ok(f.status >= 500 && f.status < 600, `a failure is a 5xx: ${f.status} ${f.text}`);
    assert.equal(f.json?.msg, 'fail', `the envelope: ${f.text}`);
    assert.equal(typeof f.json?.data, 'string');
    assert.ok(f.t1 >= restartFrom && f.t0 <= restartTo, `only requests in flight during the restart fail: one from ${f.t0 - restartFrom} ms to ${f.t1 - restartFrom} ms after its start (restart took ${restartTo - restartFrom} ms): ${f.text}`);
  }
  const afterwards = results.filter((r) => r.t0 > restartTo);
  assert.ok(afterwards.length >= 20, `requests after the restart: ${afterwards.length}`);
  assert.ok(afterwards.every((r) => r.status === 200));
  for (const n of nodes) assert.equal((await fetch(n.base + '/readyz')).status, 200);
  console.log(`# ${results.length} sends, ${failed.length} failed during the ${restartTo - restartFrom} ms restart (${[...new Set(failed.map((f) => `${f.status} ${f.json?.data}`))].join('; ')})`);
});
