// A throwaway cluster for cross-process tests: one PostgreSQL (tests/lib/pg-test-db.sh), one
// redis-server on a free loopback port, and N imchat-server processes sharing both
// (--store postgres --pg ... --redis ... --node-id nodeI). Any part can be killed and restarted.
//
//   const c = await startCluster({ processes: 2 });   // null (and a printed reason) if a part is missing
//   c.nodes[i]  -> a tests/lib/server.mjs server (base, port, proc, stop) or null while down
//   await c.kill(i); await c.restart(i); await c.stopRedis(); await c.startRedis(); await c.restartPg();
//   await c.stop();
// Under the test runner everything started here is also stopped in an after() hook, so a failed
// test never leaves a process behind (a leftover would keep `node --test` waiting).
import { spawn, execFile, execFileSync } from 'node:child_process';
import { after } from 'node:test';
import net from 'node:net';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { root, startServer } from './server.mjs';

const run = promisify(execFile);
const pgScript = path.join(root, 'tests/lib/pg-test-db.sh');
const live = new Set();   // clusters not stopped yet
if (process.env.NODE_TEST_CONTEXT) {
  after(async () => { for (const c of [...live]) await c.stop().catch(() => {}); });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

function which(cmd) {
  for (const d of (process.env.PATH || '').split(':')) if (d && existsSync(path.join(d, cmd))) return path.join(d, cmd);
  return null;
}

function pgBin() {
  try {
    const v = readdirSync('/usr/lib/postgresql').sort((a, b) => Number(b) - Number(a));
    for (const x of v) if (existsSync(`/usr/lib/postgresql/${x}/bin/pg_ctl`)) return `/usr/lib/postgresql/${x}/bin`;
  } catch { /* none */ }
  return null;
}

// Why a cluster cannot run here, or null when it can.
export function clusterMissing() {
  if (!which('redis-server')) return 'redis-server not installed (shell/setup --cluster)';
  if (!pgBin()) return 'PostgreSQL server binaries not installed (shell/setup --cluster)';
  return null;
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function waitPort(port, ms) {
  const until = Date.now() + ms;
  for (;;) {
    const ok = await new Promise((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => { s.destroy(); resolve(true); });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > until) throw new Error(`nothing listens on 127.0.0.1:${port} after ${ms} ms`);
    await sleep(50);
  }
}

export async function startCluster({ processes = 2, serverArgs = [], pgOpts = '', redis = true } = {}) {
  const missing = clusterMissing();
  if (missing) return null;
  const c = new Cluster(processes, serverArgs);
  live.add(c);
  try {
    await c.startPg(pgOpts);
    if (redis) {   // redis: false -> one process with the in-process bus (for comparisons)
      c.redisPort = await freePort();
      await c.startRedis();
    }
    await Promise.all(c.nodes.map((_, i) => c.restart(i)));
  } catch (e) {
    await c.stop();
    throw e;
  }
  return c;
}

class Cluster {
  constructor(n, serverArgs) {
    this.nodes = Array.from({ length: n }, () => null);
    this.serverArgs = serverArgs;
    this.redis = null;
    this.redisLog = '';
  }

  async startPg(pgOpts) {
    const env = { ...process.env, PG_TEST_OPTS: pgOpts };
    const { stdout } = await run('bash', [pgScript, 'start'], { env, timeout: 60000 });
    this.pg = stdout.match(/IMCHAT_TEST_PG='([^']*)'/)[1];
    this.pgDir = stdout.match(/PG_TEST_DIR='([^']*)'/)[1];
  }

  // pg_ctl restart as the database user (fast: open connections are cut, as in a failover).
  async restartPg() {
    // -l: the new postmaster logs to the file, not to our pipe (which would then never close).
    const argv = [`${pgBin()}/pg_ctl`, '-D', `${this.pgDir}/data`, '-l', `${this.pgDir}/server.log`, '-m', 'fast', '-w', '-t', '60', 'restart'];
    const [cmd, args] = process.getuid() === 0 ? ['runuser', ['-u', 'postgres', '--', ...argv]] : [argv[0], argv.slice(1)];
    await run(cmd, args, { timeout: 90000 });
  }

  args(i) {
    return ['--store', 'postgres', '--pg', this.pg, ...(this.redisPort ? ['--redis', `127.0.0.1:${this.redisPort}`] : []),
      '--node-id', `node${i}`, ...this.serverArgs];
  }

  // Starts node i (again): a new process on a new port, same database and Redis.
  async restart(i) {
    if (this.nodes[i]) await this.kill(i);
    this.nodes[i] = await startServer({ extraArgs: this.args(i) });
    return this.nodes[i];
  }

  async kill(i, signal = 'SIGKILL') {
    const n = this.nodes[i];
    this.nodes[i] = null;
    if (n) await n.stop({ signal });
  }

  async startRedis() {
    const p = spawn('redis-server', ['--port', String(this.redisPort), '--bind', '127.0.0.1', '--save', '',
      '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
    p.stdout.on('data', (d) => { this.redisLog = (this.redisLog + d).slice(-4000); });
    p.stderr.on('data', (d) => { this.redisLog = (this.redisLog + d).slice(-4000); });
    this.redis = p;
    const exited = new Promise((_, reject) => p.once('exit', (code) => reject(new Error(`redis-server exited ${code}:\n${this.redisLog}`))));
    exited.catch(() => {});
    await Promise.race([waitPort(this.redisPort, 10000), exited]);
  }

  async stopRedis(signal = 'SIGKILL') {
    const p = this.redis;
    this.redis = null;
    if (!p || p.exitCode !== null || p.signalCode !== null) return;
    const gone = new Promise((r) => p.once('exit', r));
    p.kill(signal);
    await gone;
  }

  // The server processes' pids (for CPU from /proc).
  pids() { return this.nodes.filter(Boolean).map((n) => n.proc.pid); }

  // PostgreSQL's processes: the postmaster (first line of postmaster.pid) and its children.
  pgPids() {
    let pm;
    try { pm = Number(readFileSync(`${this.pgDir}/data/postmaster.pid`, 'utf8').split('\n')[0]); } catch { return []; }
    const out = [pm];
    for (const d of readdirSync('/proc')) {
      if (!/^\d+$/.test(d)) continue;
      try {
        const st = readFileSync(`/proc/${d}/stat`, 'utf8');
        if (Number(st.slice(st.lastIndexOf(')') + 2).split(' ')[1]) === pm) out.push(Number(d));
      } catch { /* gone */ }
    }
    return out;
  }

  async stop() {
    live.delete(this);
    await Promise.allSettled(this.nodes.map((_, i) => this.kill(i, 'SIGTERM')));
    await this.stopRedis();
    if (this.pgDir) {
      try { execFileSync('bash', [pgScript, 'stop', this.pgDir], { timeout: 60000, stdio: 'ignore' }); } catch { /* gone */ }
      this.pgDir = null;
    }
  }
}
