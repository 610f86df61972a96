// Redis SIGKILLed and restarted while two imchat processes take sends: no process exits,
// /readyz turns 503 within ~10 s and 200 again after the restart, sockets close with 1012 and
// their clients reconnect and fetch by seq, sends keep being accepted while Redis is down (the
// store accepted them: success), and every acknowledged message reaches every client.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, clusterMissing } from '../lib/cluster.mjs';
import { ChatClient, eventually, groupHistory } from '../lib/cluster_client.mjs';

const missing = clusterMissing();
if (missing) console.log(`# cluster_redis skipped: ${missing}`);

let cluster;
after(async () => { await cluster?.stop(); });

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const ready = async (base) => { try { return (await fetch(base + '/readyz')).status; } catch { return 0; } };

test('Redis killed and restarted during sends: nothing acknowledged lost, /readyz 503 then 200', { skip: missing || false, timeout: 120000 }, async () => {
  cluster = await startCluster({ processes: 2 });
  const nodes = [...cluster.nodes];
  const bases = () => nodes.map((n) => n.base);
  const group = nodes[0].demoGroup;
  const clients = Array.from({ length: 4 }, (_, i) => new ChatClient(`c${i}`, bases, group));
  for (const [i, c] of clients.entries()) await c.register(nodes[i % 2].base);
  for (const [i, c] of clients.entries()) await c.connect(nodes[i % 2].base);
  for (const n of nodes) assert.equal(await ready(n.base), 200);

  // Each client sends every 100 ms through the process its socket is on, until told to stop.
  const acked = [];
  let phase = 'before';
  const ackedIn = { before: 0, down: 0, after: 0 };
  let sending = true;
  const loops = clients.map(async (c, ci) => {
    for (let k = 0; sending; k++) {
      const p = phase;
      const m = await c.send(`${c.name} #${k}`, `redis-${ci}-${k}`, 15000);
      assert.ok(m, `${c.name} #${k} acknowledged within 15 s`);
      acked.push(m);
      if (p === phase) ackedIn[p]++;
      await sleep(100);
    }
  });

  await sleep(1500);
  const killedAt = Date.now();
  phase = 'down';
  await cluster.stopRedis('SIGKILL');
  const notReady = await eventually(async () => (await Promise.all(nodes.map((n) => ready(n.base)))).every((s) => s === 503), 12000, 200);
  const notReadyS = (Date.now() - killedAt) / 1000;
  assert.ok(notReady, `/readyz turned 503 on both processes within 12 s of the kill`);
  const r = await fetch(nodes[0].base + '/readyz');
  assert.deepEqual((await r.json()).msg, 'fail');
  assert.ok(await eventually(() => clients.every((c) => c.closes.includes(1012)), 5000), `every socket closed with 1012: ${clients.map((c) => c.closes)}`);
  await sleep(1500);   // sends go on while Redis is down

  phase = 'after';
  const restartAt = Date.now();
  await cluster.startRedis();
  const readyAgain = await eventually(async () => (await Promise.all(nodes.map((n) => ready(n.base)))).every((s) => s === 200), 20000, 200);
  const readyS = (Date.now() - restartAt) / 1000;
  assert.ok(readyAgain, '/readyz 200 on both processes within 20 s of the restart');
  await sleep(1500);
  sending = false;
  await Promise.all(loops);

  for (const n of nodes) assert.equal(n.proc.exitCode, null, `${n.base} still running:\n${n.output().slice(-2000)}`);
  assert.ok(ackedIn.down > 0, `sends were accepted while Redis was down (${JSON.stringify(ackedIn)})`);

  const complete = (c) => acked.every((m) => c.seqs.get(m.seq) === m.id);
  const ok = await eventually(() => clients.every(complete), 15000);
  if (!ok) {
    const short = clients.map((c) => `${c.name} (closes ${c.closes}, on ${c.wsBase}): missing ${acked.filter((m) => c.seqs.get(m.seq) !== m.id).map((m) => m.seq).join(',')}`);
    assert.fail(`not every client received every acknowledged message:\n${short.join('\n')}`);
  }
  const hist = await groupHistory(nodes[0].base, clients[0].user.token, group);
  for (const m of acked) assert.equal(hist.filter((h) => h.client_msg_id === m.client_msg_id).length, 1, `${m.client_msg_id} stored once`);
  console.log(`# acked ${JSON.stringify(ackedIn)}; /readyz 503 after ${notReadyS.toFixed(1)} s, 200 ${readyS.toFixed(1)} s after the restart; sockets opened ${clients.map((c) => c.sockets)}`);
  for (const c of clients) c.stop();
});
