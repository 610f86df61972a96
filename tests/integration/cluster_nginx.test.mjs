// shell/cluster end to end (issue 12): two imchat-server processes sharing PostgreSQL and
// Redis behind nginx. Browser-like upgrades (Origin = the public URL) pass nginx, foreign
// ones are refused, both processes answer (X-Imchat-Node), a message sent on one process
// reaches a socket held by the other through nginx, and SIGTERM leaves nothing running.
// Skips (saying why) without nginx, redis-server or PostgreSQL (shell/setup --cluster).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, chmodSync, rmSync, readdirSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { root, serverBin, api, deviceId } from '../lib/server.mjs';

function which(cmd) {
  for (const dir of [...(process.env.PATH || '').split(':'), '/usr/sbin', '/sbin']) {
    if (dir && existsSync(path.join(dir, cmd))) return path.join(dir, cmd);
  }
  return null;
}
function pgBin() {
  const base = '/usr/lib/postgresql';
  if (!existsSync(base)) return null;
  const v = readdirSync(base).filter((d) => existsSync(path.join(base, d, 'bin/initdb')))
    .sort((a, b) => Number(b) - Number(a))[0];
  return v ? path.join(base, v, 'bin') : null;
}
const missing = [
  !which('nginx') && 'nginx', !which('redis-server') && 'redis-server', !pgBin() && 'PostgreSQL (initdb)',
  !existsSync(serverBin) && `${serverBin} (shell/build native)`,
].filter(Boolean);
const skip = missing.length ? `needs ${missing.join(', ')}: shell/setup --cluster` : false;
if (skip) console.log(`# cluster_nginx skipped: ${skip}`);

async function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
// Does anything accept connections on 127.0.0.1:port? (1 s limit)
function listening(port) {
  return new Promise((resolve) => {
    const s = net.connect({ host: '127.0.0.1', port });
    const done = (v) => { s.destroy(); resolve(v); };
    s.once('connect', () => done(true));
    s.once('error', () => done(false));
    s.setTimeout(1000, () => done(false));
  });
}

let dir;
let proc;
let out = '';
let exited;
let cluster;   // { base, origin, nodes: {node1: port, ...}, redisPort, pgPort, demoGroup }

before(async () => {
  if (skip) return;
  dir = mkdtempSync(path.join(tmpdir(), 'imchat-cluster-'));
  chmodSync(dir, 0o755);   // as root, PostgreSQL runs as the postgres user and must reach DIR/pg
  const port = await freePort();
  // Its own process group: after() can end the whole tree even if the script hangs.
  proc = spawn(path.join(root, 'shell/cluster'), ['--processes', '2', '--listen', `127.0.0.1:${port}`,
    '--data-dir', dir, '--no-build', '--', '--log-level', 'warn'],
  { cwd: root, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  exited = new Promise((r) => proc.once('exit', (code, signal) => r({ code, signal })));
  proc.stdout.on('data', (d) => { out += d; });
  proc.stderr.on('data', (d) => { out += d; });
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no banner within 120 s:\n' + out)), 120000);
    const check = () => {
      if (/^node node2: http:\/\/127\.0\.0\.1:\d+$/m.test(out) && /^redis: /m.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    proc.stdout.on('data', check);
    proc.once('exit', (code) => { clearTimeout(timer); reject(new Error(`shell/cluster exited ${code}:\n${out}`)); });
  });
  const nodes = {};
  for (const m of out.matchAll(/^node (node\d+): http:\/\/127\.0\.0\.1:(\d+)$/gm)) nodes[m[1]] = Number(m[2]);
  const join = out.match(/join group:\s+(\S+)\?group=(\d+)/);
  assert.ok(join, out);
  cluster = {
    base: `http://127.0.0.1:${port}`,
    listenPort: port,
    origin: new URL(join[1]).origin,
    demoGroup: Number(join[2]),
    nodes,
    redisPort: Number(out.match(/^redis: 127\.0\.0\.1:(\d+)/m)[1]),
    pgPort: Number(out.match(/postgres: host=127\.0\.0\.1 port=(\d+)/m)[1]),
  };
}, { timeout: 130000 });

after(async () => {
  if (!proc) return;
  if (proc.exitCode === null && proc.signalCode === null) {
    proc.kill('SIGTERM');
    const done = await Promise.race([exited, sleep(30000).then(() => null)]);
    if (!done) { try { process.kill(-proc.pid, 'SIGKILL'); } catch { /* gone */ } }
  }
  // Whatever the script could not stop (it was killed): the database, then the folder.
  const pg = pgBin();
  if (pg && existsSync(path.join(dir, 'pg/data/postmaster.pid'))) {
    const stop = [path.join(pg, 'pg_ctl'), '-D', path.join(dir, 'pg/data'), '-m', 'immediate', '-w', 'stop'];
    const argv = process.getuid() === 0 ? ['runuser', '-u', 'postgres', '--', ...stop] : stop;
    spawnSync(argv[0], argv.slice(1), { stdio: 'ignore', timeout: 20000 });
  }
  rmSync(dir, { recursive: true, force: true });
});

function connect(url, headers = {}) {
  const ws = new WebSocket(url, { headers, handshakeTimeout: 5000 });
  const frames = [];
  let node = null;
  ws.on('upgrade', (res) => { node = res.headers['x-imchat-node']; });
  ws.on('message', (d) => frames.push(JSON.parse(d.toString())));
  const opened = new Promise((resolve, reject) => {
    ws.once('open', resolve);
    ws.once('unexpected-response', (req, res) => reject(Object.assign(new Error(`refused ${res.statusCode}`),
      { status: res.statusCode, node: res.headers['x-imchat-node'] })));
    ws.once('error', reject);
  });
  async function next(pred, timeout = 5000) {
    const start = Date.now();
    for (;;) {
      const i = frames.findIndex(pred);
      if (i >= 0) return frames.splice(i, 1)[0];
      if (Date.now() - start > timeout) throw new Error('no matching frame; have ' + JSON.stringify(frames));
      await sleep(25);
    }
  }
  return { ws, frames, opened, next, node: () => node };
}

let n = 0;
async function guest(base) {
  const r = await api(base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(++n) } });
  assert.equal(r.status, 200, r.text);
  const g = r.json.data;
  const j = await api(base, 'POST', '/api/chat/groupInviteUser',
    { token: g.token, body: { group_id: cluster.demoGroup, user_id: g.id, inviteuser_id: -1 } });
  assert.equal(j.status, 200, j.text);
  return g;
}

test('the banner points at nginx and lists both processes', { skip }, () => {
  assert.equal(cluster.origin, cluster.base, 'join links use the public URL, not a process port');
  assert.deepEqual(Object.keys(cluster.nodes).sort(), ['node1', 'node2']);
  assert.match(out, /^imchat is serving on 127\.0\.0\.1:\d+/m);
});

test('through nginx, a browser Origin upgrades; a foreign one is refused', { skip }, async () => {
  const g = await guest(cluster.base);
  const ok = connect(`ws://127.0.0.1:${cluster.listenPort}/ws?token=${g.token}`, { Origin: cluster.origin });
  await ok.opened;
  assert.match(ok.node(), /^node[12]$/, 'the 101 names its process');
  assert.equal((await ok.next((f) => f.type === 'system')).type, 'system');
  ok.ws.close();
  const bad = connect(`ws://127.0.0.1:${cluster.listenPort}/ws?token=${g.token}`, { Origin: 'http://evil.example' });
  const err = await bad.opened.then(() => null, (e) => e);
  assert.ok(err, 'a foreign Origin must not open the socket');
  assert.equal(err.status, 403);
  assert.match(err.node, /^node[12]$/, 'the refusal names its process too');
});

test('nginx spreads requests over both processes (X-Imchat-Node)', { skip }, async () => {
  const seen = new Map();
  for (let i = 0; i < 10; i++) {
    for (const route of ['/healthz', '/no-such-file.js']) {
      const res = await fetch(cluster.base + route);
      await res.arrayBuffer();
      const node = res.headers.get('x-imchat-node');
      assert.match(node ?? '', /^node[12]$/, `${route} -> ${res.status}`);
      seen.set(node, (seen.get(node) || 0) + 1);
    }
  }
  assert.deepEqual([...seen.keys()].sort(), ['node1', 'node2'], JSON.stringify([...seen]));
  const ready = await fetch(cluster.base + '/readyz');
  assert.equal(ready.status, 200, await ready.text());
});

test('a message sent on one process reaches a socket on the other through nginx', { skip }, async () => {
  const [sender, reader] = [await guest(cluster.base), await guest(cluster.base)];
  // The reader's socket through nginx; the send goes straight to the other process.
  const c = connect(`ws://127.0.0.1:${cluster.listenPort}/ws?token=${reader.token}`, { Origin: cluster.origin });
  await c.opened;
  await c.next((f) => f.type === 'system');
  const holder = c.node();
  const other = holder === 'node1' ? 'node2' : 'node1';
  const text = `across ${Date.now()}`;
  const r = await api(`http://127.0.0.1:${cluster.nodes[other]}`, 'POST', '/api/chat/socket/sendmessage', {
    token: sender.token,
    body: { sendto_id: cluster.demoGroup, chatType: 'group', type: 'text', data: text, options: '', client_msg_id: 'x1' },
  });
  assert.equal(r.status, 200, r.text);
  const f = await c.next((x) => x.data?.data === text, 10000);
  assert.equal(f.data.id, r.json.data.id, `sent on ${other}, received on ${holder}`);
  c.ws.close();
});

test('SIGTERM stops redis, postgres, nginx and every imchat-server it started', { skip }, async () => {
  const ports = [cluster.listenPort, ...Object.values(cluster.nodes), cluster.redisPort, cluster.pgPort];
  for (const p of ports) assert.ok(await listening(p), `port ${p} should be up before`);
  proc.kill('SIGTERM');
  const done = await Promise.race([exited, sleep(30000).then(() => null)]);
  assert.ok(done, 'shell/cluster did not exit within 30 s of SIGTERM:\n' + out);
  for (const p of ports) assert.equal(await listening(p), false, `port ${p} still open after exit`);
  // No process of ours left: they all carry DIR in their command lines (nginx's master,
  // postgres -D, imchat-server --data-dir); Redis is checked by its port above.
  const left = [dir, `redis-server 127.0.0.1:${cluster.redisPort}`]
    .map((pattern) => spawnSync('pgrep', ['-af', pattern], { encoding: 'utf8' }).stdout.trim()).join('');
  assert.equal(left, '', 'left running:\n' + left);
  assert.match(out, /\[cluster\] stopped/);
});

test('a bad --trust-proxy or IMCHAT_TRUST_PROXY stops the server at start, naming the entry',
  { skip: existsSync(serverBin) ? false : `needs ${serverBin}` }, () => {
    const run = (args, env = {}) => spawnSync(serverBin, ['--listen', '127.0.0.1:0', '--data-dir',
      path.join(tmpdir(), 'imchat-never-created'), '--no-qr', ...args],
    { encoding: 'utf8', timeout: 10000, env: { ...process.env, ...env } });
    const flag = run(['--trust-proxy', '127.0.0.1/32', '--trust-proxy', '10.0.0.0/33']);
    assert.equal(flag.status, 2, flag.stderr);
    assert.match(flag.stderr, /--trust-proxy.*'10\.0\.0\.0\/33'/);
    const env = run([], { IMCHAT_TRUST_PROXY: '127.0.0.1,fd00::/8,nope' });
    assert.equal(env.status, 2, env.stderr);
    assert.match(env.stderr, /IMCHAT_TRUST_PROXY.*'nope'/);
  });
