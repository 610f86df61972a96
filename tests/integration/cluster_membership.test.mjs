// Two processes on one PostgreSQL + Redis: a member who joins the group through one process
// gets, live, the messages sent through the other, even though that other one fanned the group
// out before the join (it used to keep the group's audience cached: the join went unseen and
// its messages never reached the newcomer, nor anyone who joined through another process).
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { startCluster, clusterMissing } from '../lib/cluster.mjs';
import { ChatClient, eventually } from '../lib/cluster_client.mjs';

const missing = clusterMissing();
if (missing) console.log(`# cluster_membership skipped: ${missing}`);

let cluster;
after(async () => { await cluster?.stop(); });

test('a join through one process is seen by the other one\'s fan-out', { skip: missing || false, timeout: 60000 }, async () => {
  cluster = await startCluster({ processes: 2 });
  const [a, b] = cluster.nodes;
  const bases = () => [a.base];
  const group = a.demoGroup;
  const sender = new ChatClient('sender', bases, group);
  await sender.register(a.base);
  const early = new ChatClient('early', () => [b.base], group);
  await early.register(b.base);
  await early.connect(b.base);
  // Through a: fans the group out (a now knows its members: sender, early).
  const m1 = await sender.send('before', 'm-1');
  assert.ok(await eventually(() => early.seqs.get(m1.seq) === m1.id, 5000), 'early member got the first message');

  const late = new ChatClient('late', () => [b.base], group);
  await late.register(b.base);   // joins through b
  await late.connect(b.base);
  const m2 = await sender.send('after the join', 'm-2');
  const got = await eventually(() => late.live.has(m2.seq), 5000);
  assert.ok(got, `the member who joined through b received, live, the message sent through a (seq ${m2.seq}); it holds ${[...late.seqs.keys()]}`);
  assert.ok(await eventually(() => early.seqs.get(m2.seq) === m2.id, 5000));
  for (const c of [sender, early, late]) c.stop();
});
