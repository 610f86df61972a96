// Cluster benchmark: delivery latency p50/p99 and server CPU per delivery with imchat as one
// process (PostgreSQL store, in-process bus), one process + Redis, and two processes sharing
// PostgreSQL + Redis, in one run on a fresh throwaway database and Redis each.
//
// Usage: node bench/cluster_bench.mjs [--clients 60] [--senders 6] [--rate 10] [--seconds 10]
//          [--warmup 2] [--pg-opts "-c synchronous_commit=off"] [--json FILE]
// Clients' sockets are spread evenly over the processes; every send goes through HTTP to process
// 0, so with two processes half of the receivers are on the other one (cross-process: through
// Redis). A delivery is one message frame received by one member other than its sender.
// Server CPU = utime+stime of the imchat processes (/proc/<pid>/stat) over the measured window;
// Redis and PostgreSQL CPU are shown apart. Exits non-zero when a configuration fails, loses an
// acknowledged message or delivers one twice.
import WebSocket from 'ws';
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import { startCluster, clusterMissing } from '../tests/lib/cluster.mjs';
import { cpuMicros, machine, machineCpu, loadAvg } from './lib/proc.mjs';
import { agent, request } from './lib/http.mjs';

const argv = process.argv.slice(2);
const opt = (name, def) => { const i = argv.indexOf(name); return i < 0 ? def : argv[i + 1]; };
if (argv.includes('--help')) { console.log('node bench/cluster_bench.mjs [--clients 60] [--senders 6] [--rate 10] [--seconds 10] [--warmup 2] [--pg-opts OPTS] [--json FILE]'); process.exit(0); }
const N = Number(opt('--clients', '60'));
const SENDERS = Number(opt('--senders', '6'));
const RATE = Number(opt('--rate', '10'));
const SECONDS = Number(opt('--seconds', '10'));
const WARMUP = Number(opt('--warmup', '2'));
const PG_OPTS = opt('--pg-opts', '-c synchronous_commit=off');
const jsonFile = opt('--json', undefined);
const out = (s = '') => process.stdout.write(s + '\n');
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

const missing = clusterMissing();
if (missing) { console.error(`cluster_bench: ${missing}`); process.exit(2); }

class Samples {
  constructor() { this.a = []; }
  push(v) { this.a.push(v); }
  pct(p) { if (!this.a.length) return null; const s = (this.sorted ??= [...this.a].sort((x, y) => x - y)); return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]; }
}
const cpuOf = (pids) => pids.reduce((t, p) => { try { return t + cpuMicros(p); } catch { return t; } }, 0);

async function runConfig(cfg) {
  const cluster = await startCluster({ processes: cfg.processes, redis: cfg.redis, pgOpts: PG_OPTS,
    serverArgs: ['--register-per-ip-hour', '1000000', '--max-conns-per-ip', '0', '--send-per-user-10s', '0'] });
  const res = { name: cfg.name };
  const ag = agent(16);
  const socks = [];
  try {
    const nodes = cluster.nodes;
    const port0 = nodes[0].port;
    const group = nodes[0].demoGroup;
    const stamp = String(Date.now() % 1e12).padStart(12, '0');
    const clients = [];
    for (let i = 0; i < N; i++) {
      const r = await request(port0, '/api/visitorRegister', { agent: ag, body: { deviceId: `${String(i).padStart(8, '0')}-aaaa-4bbb-8ccc-${stamp}` } });
      if (r.status !== 200) throw new Error(`visitorRegister ${r.status} ${r.text}`);
      const u = r.json.data;
      const j = await request(port0, '/api/chat/groupInviteUser', { agent: ag, token: u.token, body: { group_id: group, user_id: u.id, inviteuser_id: -1 } });
      if (j.status !== 200) throw new Error(`groupInviteUser ${j.status} ${j.text}`);
      clients.push({ i, user: u, node: i % nodes.length });
    }
    const msgs = [];   // id -> {sentAt, inWindow, acked, recv: Uint8Array}
    let phase = 'setup';
    const lat = { all: new Samples(), local: new Samples(), cross: new Samples() };
    let dup = 0, winDeliveries = 0, closes = 0;
    await Promise.all(clients.map((c) => new Promise((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${nodes[c.node].port}/ws?token=${c.user.token}&ack=1`, { perMessageDeflate: false });
      socks.push(ws);
      let welcomed = false;
      ws.on('message', (d) => {
        if (!welcomed) { welcomed = true; resolve(); return; }
        const s = d.toString();
        const k = s.indexOf('~Cb');
        if (k < 0) return;
        const now = performance.now();
        const id = parseInt(s.slice(k + 3, k + 11), 36);
        const m = msgs[id];
        if (!m) return;
        if (m.recv[c.i]++) { dup++; return; }
        if (phase === 'measure') winDeliveries++;
        if (m.inWindow) {
          const l = now - m.sentAt;
          lat.all.push(l);
          (c.node === 0 ? lat.local : lat.cross).push(l);
        }
      });
      ws.on('close', () => { if (phase !== 'done') closes++; });
      ws.on('error', reject);
    })));
    await sleep(1000);

    const senders = clients.slice(0, SENDERS);
    let sending = true, errors = 0, errorSample = null;
    const loop = async (c, k) => {
      let next = performance.now() + (k * 1000) / RATE / SENDERS;
      while (sending) {
        await sleep(next - performance.now());
        next += 1000 / RATE;
        const id = msgs.length;
        const m = { sentAt: performance.now(), inWindow: phase === 'measure', acked: false, recv: new Uint8Array(N), sender: c.i };
        msgs.push(m);
        const text = `~Cb${id.toString(36).padStart(8, '0')}` + 'x'.repeat(89);
        try {
          const r = await request(port0, '/api/chat/socket/sendmessage', { agent: ag, token: c.user.token,
            body: { sendto_id: group, chatType: 'group', type: 'text', data: text, options: '', client_msg_id: `cb-${id}` } });
          if (r.status === 200) m.acked = true; else { errors++; errorSample ??= `${r.status} ${r.text.slice(0, 120)}`; }
        } catch (e) { errors++; errorSample ??= e.message; }
      }
    };
    phase = 'warmup';
    const loops = senders.map(loop);
    await sleep(WARMUP * 1000);
    const pids = cluster.pids();
    const redisPid = cluster.redis?.pid;
    phase = 'measure';
    const t0 = performance.now(), cpu0 = cpuOf(pids), r0 = redisPid ? cpuOf([redisPid]) : 0, pg0 = cpuOf(cluster.pgPids()), m0 = machineCpu();
    await sleep(SECONDS * 1000);
    const t1 = performance.now(), cpu1 = cpuOf(pids), r1 = redisPid ? cpuOf([redisPid]) : 0, pg1 = cpuOf(cluster.pgPids()), m1 = machineCpu();
    const delivered = winDeliveries;
    phase = 'drain';
    sending = false;
    await Promise.all(loops);
    // Drain: until every acknowledged message reached every member (at most 10 s).
    const missingNow = () => msgs.reduce((n, m) => n + (m.acked ? clients.filter((c) => c.i !== m.sender && !m.recv[c.i]).length : 0), 0);
    const dEnd = performance.now() + 10000;
    while (missingNow() > 0 && performance.now() < dEnd) await sleep(200);
    const windowS = (t1 - t0) / 1000;
    Object.assign(res, {
      processes: cfg.processes, redis: cfg.redis, clients: N, senders: SENDERS, rate: RATE, windowS,
      deliveriesPerS: delivered / windowS,
      p50Ms: lat.all.pct(50), p99Ms: lat.all.pct(99),
      localP50Ms: lat.local.pct(50), localP99Ms: lat.local.pct(99), crossP50Ms: lat.cross.pct(50), crossP99Ms: lat.cross.pct(99),
      serverCpuUsPerDelivery: delivered ? (cpu1 - cpu0) / delivered : null,
      serverCores: (cpu1 - cpu0) / 1e6 / windowS,
      redisCpuUsPerDelivery: delivered && redisPid ? (r1 - r0) / delivered : null,
      pgCpuUsPerDelivery: delivered ? (pg1 - pg0) / delivered : null,
      machineCoresBusy: (m1.busy - m0.busy) / windowS,
      sent: msgs.length, acked: msgs.filter((m) => m.acked).length, errors, errorSample,
      lost: missingNow(), duplicated: dup, disconnects: closes,
      exited: nodes.filter((n) => n.proc.exitCode !== null).length,
    });
    phase = 'done';
  } finally {
    for (const ws of socks) ws.terminate();
    ag.destroy();
    await cluster.stop();
  }
  return res;
}

const CONFIGS = [
  { key: 'one', name: '1 process', processes: 1, redis: false },
  { key: 'oneRedis', name: '1 process + Redis', processes: 1, redis: true },
  { key: 'two', name: '2 processes + Redis', processes: 2, redis: true },
];
const mach = machine();
out(`imchat cluster bench  ${new Date().toISOString()}`);
out(`machine: ${mach.cores} cores, ${mach.model}, node ${mach.node}; load average ${loadAvg()}`);
out(`run: ${N} clients (sockets spread over the processes), ${SENDERS} senders x ${RATE}/s through process 0 (HTTP), ${WARMUP} s warm-up + ${SECONDS} s measured; PostgreSQL ${PG_OPTS || '(defaults)'}`);
const results = {};
let failed = false;
for (const cfg of CONFIGS) {
  try {
    results[cfg.key] = await runConfig(cfg);
    const r = results[cfg.key];
    if (r.lost || r.duplicated || r.errors || r.exited || r.disconnects) failed = true;
  } catch (e) {
    results[cfg.key] = { name: cfg.name, failed: e.message };
    out(`${cfg.name}: FAILED ${e.message.split('\n')[0]}`);
    failed = true;
  }
}
const f = (v, d = 1) => (v === null || v === undefined || Number.isNaN(v) ? '-' : v.toFixed(d));
const ratio = (a, b) => (typeof a === 'number' && typeof b === 'number' && b > 0 ? (a / b).toFixed(2) : '-');
const [A, B, C] = CONFIGS.map((c) => results[c.key] || {});
const rows = [
  ['deliveries/s', 'deliveriesPerS', 0],
  ['latency p50 ms', 'p50Ms', 1], ['latency p99 ms', 'p99Ms', 1],
  ['  same-process p50 ms', 'localP50Ms', 1], ['  same-process p99 ms', 'localP99Ms', 1],
  ['  cross-process p50 ms', 'crossP50Ms', 1], ['  cross-process p99 ms', 'crossP99Ms', 1],
  ['server CPU us/delivery', 'serverCpuUsPerDelivery', 1], ['  server cores busy', 'serverCores', 2],
  ['Redis CPU us/delivery', 'redisCpuUsPerDelivery', 2], ['PostgreSQL CPU us/delivery', 'pgCpuUsPerDelivery', 1],
  ['machine cores busy (all)', 'machineCoresBusy', 2],
  ['sent / acked', null], ['lost, duplicated', null], ['failed sends, disconnects', null],
];
out();
out(`  ${'metric'.padEnd(30)} ${A.name?.padStart(12) ?? ''} ${B.name?.padStart(20) ?? ''} ${C.name?.padStart(20) ?? ''} ${'2p / 1p'.padStart(9)} ${'2p / 1p+R'.padStart(10)}`);
for (const [label, k, d] of rows) {
  let cells;
  if (k) cells = [A, B, C].map((x) => f(x[k], d));
  else if (label.startsWith('sent')) cells = [A, B, C].map((x) => `${x.sent ?? '-'} / ${x.acked ?? '-'}`);
  else if (label.startsWith('lost')) cells = [A, B, C].map((x) => `${x.lost ?? '-'}, ${x.duplicated ?? '-'}`);
  else cells = [A, B, C].map((x) => `${x.errors ?? '-'}, ${x.disconnects ?? '-'}`);
  out(`  ${label.padEnd(30)} ${cells[0].padStart(12)} ${cells[1].padStart(20)} ${cells[2].padStart(20)} ${(k ? ratio(C[k], A[k]) : '').padStart(9)} ${(k ? ratio(C[k], B[k]) : '').padStart(10)}`);
}
for (const x of [A, B, C]) {
  if (x.errorSample) out(`  ${x.name}: first failed send: ${x.errorSample}`);
  if (x.exited) out(`  ${x.name}: ${x.exited} server process(es) exited during the run`);
}
if (jsonFile) writeFileSync(jsonFile, JSON.stringify({ machine: mach, results }, null, 2));
out(failed ? 'FAILED' : 'ok');
process.exit(failed ? 1 : 0);
