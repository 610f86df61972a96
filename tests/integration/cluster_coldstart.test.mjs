// 10 imchat processes started at once on an empty PostgreSQL database: the schema and the demo
// group are created once (advisory lock): exactly one demo group, one system user, and all 10
// serve the same group.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { startCluster, clusterMissing } from '../lib/cluster.mjs';

const missing = clusterMissing();
if (missing) console.log(`# cluster_coldstart skipped: ${missing}`);

let cluster;
after(async () => { await cluster?.stop(); });

function sql(conninfo, q) {
  return execFileSync('psql', [conninfo, '-At', '-c', q], { encoding: 'utf8', timeout: 20000 }).trim();
}

test('10 simultaneous cold starts: one demo group, one system user, all serve', { skip: missing || false, timeout: 120000 }, async () => {
  cluster = await startCluster({ processes: 10 });
  assert.equal(cluster.nodes.filter(Boolean).length, 10);
  const groups = new Set(cluster.nodes.map((n) => n.demoGroup));
  assert.equal(groups.size, 1, `every process announces one demo group: ${[...groups]}`);
  for (const n of cluster.nodes) {
    const r = await fetch(n.base + '/readyz');
    assert.equal(r.status, 200, `${n.base} ready`);
    const g = await fetch(`${n.base}/api/chat/groupinfo/${n.demoGroup}`);   // the public card, no token
    assert.notEqual(g.status, 404);
  }
  assert.equal(sql(cluster.pg, 'SELECT count(*) FROM chat_groups'), '1');
  assert.equal(sql(cluster.pg, 'SELECT count(*) FROM users'), '1', sql(cluster.pg, 'SELECT id, username, role FROM users'));
  // The system user ('imchat') owns the demo group.
  assert.equal(sql(cluster.pg, 'SELECT u.username FROM users u JOIN chat_groups g ON g.user_id = u.id'), 'imchat');
  assert.equal(sql(cluster.pg, 'SELECT count(*) FROM group_users'), '1', 'only the owner (the system user) is a member');
});
