// SIGKILL of one of two imchat processes (shared PostgreSQL + Redis) under a send load: the
// killed process's clients reconnect to the other and fetch by seq; every acknowledged message
// is in the history exactly once and reached every client; nothing is stored twice.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, clusterMissing } from '../lib/cluster.mjs';
import { ChatClient, eventually, groupHistory } from '../lib/cluster_client.mjs';

const missing = clusterMissing();
if (missing) console.log(`# cluster_kill skipped: ${missing}`);

let cluster;
after(async () => { await cluster?.stop(); });

test('SIGKILL of a process under load: nothing acknowledged lost or doubled', { skip: missing || false, timeout: 120000 }, async () => {
  cluster = await startCluster({ processes: 2 });
  const bases = () => cluster.nodes.filter(Boolean).map((n) => n.base);
  const group = cluster.nodes[0].demoGroup;
  assert.equal(cluster.nodes[1].demoGroup, group, 'both processes serve one demo group');

  const clients = Array.from({ length: 6 }, (_, i) => new ChatClient(`c${i}`, bases, group));
  // Each joins the group through the process its socket is on.
  for (const [i, c] of clients.entries()) {
    await c.register(cluster.nodes[i % 2].base);
    await c.connect(cluster.nodes[i % 2].base);
  }
  const onKilled = clients.filter((c) => c.wsBase === cluster.nodes[1].base);
  assert.equal(onKilled.length, 3);
  const killedBase = cluster.nodes[1].base;

  // Each client sends 30 messages one after another (20 ms apart); node1 dies during them.
  const acked = new Map();   // client_msg_id -> stored message
  const unacked = [];
  const PER = 30;
  const senders = clients.map(async (c, ci) => {
    for (let k = 0; k < PER; k++) {
      const cmid = `kill-${ci}-${k}`;
      const m = await c.send(`${c.name} #${k}`, cmid);
      if (m) acked.set(cmid, m); else unacked.push(cmid);
      await new Promise((r) => setTimeout(r, 20));
    }
  });
  // The kill lands once a sixth is acknowledged: under load on a quick machine and a slow one
  // alike (a fixed second was after the whole load on a quiet CI machine).
  const t0 = Date.now();
  while (acked.size < (clients.length * PER) / 6 && Date.now() - t0 < 30000) await new Promise((r) => setTimeout(r, 2));
  assert.ok(acked.size > 0 && acked.size < clients.length * PER, `the kill lands under load (${acked.size} acked so far)`);
  await cluster.kill(1);
  await Promise.all(senders);
  assert.deepEqual(unacked, [], 'every send is acknowledged in the end (retried through the live process)');
  assert.ok(cluster.nodes[0].proc.exitCode === null, 'the other process is still up');

  // The killed process's clients are on node0 now, and everyone holds every acknowledged seq.
  const want = [...acked.values()];
  const complete = (c) => want.every((m) => c.seqs.get(m.seq) === m.id);
  const ok = await eventually(() => clients.every(complete), 15000);
  for (const c of onKilled) {
    assert.ok(c.closes.length >= 1, `${c.name} saw its socket close`);
    assert.equal(c.wsBase, cluster.nodes[0].base, `${c.name} reconnected to the live process`);
    assert.notEqual(c.wsBase, killedBase);
  }
  if (!ok) {
    const short = clients.map((c) => `${c.name} (closes ${c.closes}, sockets ${c.sockets}, on ${c.wsBase}, last ${c.lastSeq()}): missing ${want.filter((m) => c.seqs.get(m.seq) !== m.id).map((m) => m.seq).join(',')}`);
    assert.fail(`not every client received every acknowledged message:\n${short.join('\n')}\nlogs: ${clients.map((c) => c.log.slice(-5).join(' | ')).join('\n')}`);
  }

  // The history: each acknowledged message exactly once, under the id and seq the sender got;
  // no client_msg_id stored twice; seqs gapless.
  const hist = await groupHistory(cluster.nodes[0].base, clients[0].user.token, group);
  const byCmid = new Map();
  for (const m of hist) if (m.client_msg_id) byCmid.set(m.client_msg_id, (byCmid.get(m.client_msg_id) || 0) + 1);
  for (const [cmid, m] of acked) {
    assert.equal(byCmid.get(cmid), 1, `${cmid} stored exactly once`);
    const h = hist.find((x) => x.client_msg_id === cmid);
    assert.equal(h.id, m.id);
    assert.equal(h.seq, m.seq);
  }
  const seqs = hist.map((m) => m.seq).sort((a, b) => a - b);
  seqs.forEach((s, i) => assert.equal(s, i + 1, 'seqs are gapless'));
  const dup = clients.reduce((n, c) => n + c.liveDup, 0);
  console.log(`# ${acked.size} acked, ${hist.length} in history, live frames repeated (deduped by seq): ${dup}`);
  for (const c of clients) c.stop();
});
