// Server benchmark: imchat-server (fresh data dir, SQLite on) against a plain relay on npm `ws`
// (bench/ws_relay.mjs), both driven by the same raw WebSocket client through settings a, b, c;
// per setting: deliveries/s, p50/p99 latency, server CPU µs per delivery, KB per idle socket,
// join time, lost, duplicated, disconnects, refused sends, each with the imchat/ws ratio.
//
// Usage: node bench/server_bench.mjs [--only a,b,c] [--scale 0.1] [--server PATH] [--threads N]
//          [--seconds 10] [--warmup 2] [--join-timeout 65] [--http-sockets 8] [--inflight 1] [--wait-quiet S] [--json FILE]
// Each setting starts a fresh server and a fresh relay. A delivery is one message frame
// received by one member other than its sender (neither server echoes to the sender).
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { machine, fdLimitSelf, loadAvg, machineCpu } from './lib/proc.mjs';
import { ImchatTarget, WsRelayTarget, serverFlags } from './lib/targets.mjs';
import { runSetting } from './lib/run.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const argv = process.argv.slice(2);
function opt(name, def) {
  const i = argv.indexOf(name);
  if (i < 0) return def;
  const v = argv[i + 1];
  if (v === undefined || v.startsWith('--')) { console.error(`${name} needs a value`); process.exit(2); }
  return v;
}
if (argv.includes('--help') || argv.includes('-h')) {
  console.log(readHead());
  process.exit(0);
}
function readHead() {
  return `node bench/server_bench.mjs [--only a,b,c] [--scale 0.1] [--server PATH] [--threads N]
    [--seconds 10] [--warmup 2] [--join-timeout 65] [--http-sockets 8] [--inflight 1] [--wait-quiet SECONDS] [--json FILE]`;
}

const only = opt('--only', 'a,b,c').split(',').map((s) => s.trim()).filter(Boolean);
const scale = Number(opt('--scale', '1'));
const bin = path.resolve(opt('--server', process.env.IMCHAT_SERVER_BIN || path.join(root, 'build/src/server/imchat-server')));
const threads = opt('--threads', undefined);
// --server-args write-coalesce-ms=0,threads=1: more imchat-server flags (name=value, comma-separated).
const serverArgs = String(opt('--server-args', '') || '').split(',').filter(Boolean)
  .flatMap((kv) => { const [k, ...v] = kv.split('='); return v.length ? [`--${k}`, v.join('=')] : [`--${k}`]; });
const jsonFile = opt('--json', undefined);
const opts = {
  seconds: Number(opt('--seconds', '10')),
  warmupS: Number(opt('--warmup', '2')),
  joinTimeoutS: Number(opt('--join-timeout', '65')),
  joinConcurrency: Number(opt('--join-concurrency', '32')),
  inflight: Number(opt('--inflight', '1')),
  drainIdleS: 3, drainMaxS: 30,
};
const httpSockets = Number(opt('--http-sockets', '8'));
// Before each run, wait up to this many seconds for the rest of the machine to be quiet
// (under 0.3 cores busy over 3 s); 0: do not wait (the table still warns when it was busy).
const waitQuietS = Number(opt('--wait-quiet', '0'));
const targets = opt('--targets', 'imchat,ws').split(',');   // for debugging one side

const SETTINGS = {
  a: { clients: 1000, senders: 10, rate: 10, join: false, title: '1000 clients, 10 senders x 10/s' },
  b: { clients: 5000, senders: 1, rate: 2, join: true, title: '5000 clients join, then 1 sender x 2/s' },
  c: { clients: 200, senders: 50, rate: 20, join: false, title: '200 clients, 50 senders x 20/s' },
};
for (const k of only) if (!SETTINGS[k]) { console.error(`unknown setting ${k} (a, b, c)`); process.exit(2); }
if (!(scale > 0)) { console.error('--scale must be > 0'); process.exit(2); }
if (targets.includes('imchat') && !existsSync(bin)) { console.error(`no server binary at ${bin}: build it (cmake --build build --target imchat-server) or pass --server`); process.exit(2); }

const settings = only.map((k) => {
  const s = SETTINGS[k];
  const clients = Math.max(3, Math.round(s.clients * scale));
  const senders = Math.max(1, Math.min(clients - 1, Math.round(s.senders * scale)));
  return { key: k, ...s, clients, senders, title: scale === 1 ? s.title : `${clients} clients${s.join ? ' join' : ''}, ${senders} sender(s) x ${s.rate}/s (scale ${scale})` };
});

// The bench holds every client socket plus a few HTTP ones in this one process.
const need = Math.max(...settings.map((s) => s.clients)) + 200;
const lim = fdLimitSelf();
if (lim.soft < need) {
  console.error(`This process may open ${lim.soft} files but needs about ${need} sockets.\n` +
    `Raise the limit first:  ulimit -n ${need}` + (lim.hard < need ? `   (the hard limit is ${lim.hard}: raise it as root or in /etc/security/limits.conf)` : ''));
  process.exit(2);
}

const flags = existsSync(bin) ? serverFlags(bin) : {};
const mach = machine();
const started = new Date();
const out = (s = '') => process.stdout.write(s + '\n');
out(`imchat server bench  ${started.toISOString()}`);
out(`machine: ${mach.cores} cores, ${mach.model}, ${mach.memGB} GB, Linux ${mach.kernel}, node ${mach.node}; load average ${loadAvg()}`);
out(`server:  ${path.relative(process.cwd(), bin) || bin}  (flags known: ${['threads', 'workers', 'registerPerIp'].filter((f) => flags[f]).join(', ') || 'none of --threads/--workers/--register-per-ip-hour'})`);
if (threads && !flags.threads) out(`         --threads ${threads} not passed: this server has no --threads`);
if (!flags.registerPerIp) out('         no --register-per-ip-hour: guests register from 127.0.0.2.. (500 per address) to stay under the per-IP limit');
out(`peer:    bench/ws_relay.mjs (npm ws, node ${mach.node}); one client process (this one), fd limit ${lim.soft}`);
out(`run:     ${opts.warmupS} s warm-up + ${opts.seconds} s measured per setting; 100-byte texts; imchat sends = HTTP sendmessage (${httpSockets} keep-alive sockets), ws sends = a frame acked by the relay; at most ${opts.inflight} send(s) unanswered per sender`);
out();

const live = new Set();
let interrupted = false;
process.on('SIGINT', async () => {
  if (interrupted) process.exit(130);
  interrupted = true;
  console.error('\ninterrupted: stopping servers');
  await Promise.allSettled([...live].map((t) => t.stop()));
  process.exit(130);
});

const results = {};
for (const s of settings) {
  out(`setting ${s.key}: ${s.title}`);
  results[s.key] = { title: s.title, clients: s.clients, senders: s.senders, ratePerSender: s.rate };
  const makers = { imchat: () => new ImchatTarget({ bin, threads, flags, httpSockets, extraArgs: serverArgs }), ws: () => new WsRelayTarget() };
  for (const name of targets) {
    const t = makers[name]();
    if (waitQuietS > 0) await waitQuiet(waitQuietS);
    live.add(t);
    const t0 = Date.now();
    try {
      results[s.key][t.name] = await runSetting(t, s, opts, out);
      if (t.name === 'imchat') results[s.key].serverArgs = t.args;
    } catch (e) {
      results[s.key][t.name] = { failed: e.message, serverLog: t.log?.slice(-2000) };
      out(`  ${t.name}: FAILED ${e.message.split('\n')[0]}`);
      await t.stop().catch(() => {});
    }
    live.delete(t);
    results[s.key][t.name].runS = (Date.now() - t0) / 1000;
    if (t.log && /\b(error|critical|warn)/i.test(t.log)) results[s.key][t.name].serverLogTail = t.log.split('\n').slice(-20).join('\n');
  }
  printSetting(results[s.key]);
  out();
}
const totalS = (Date.now() - started.getTime()) / 1000;
out(`total ${totalS.toFixed(0)} s`);
if (jsonFile) {
  writeFileSync(jsonFile, JSON.stringify({ machine: mach, started: started.toISOString(), totalS, scale, opts, httpSockets, server: { bin, flags: { threads: flags.threads, workers: flags.workers, registerPerIp: flags.registerPerIp }, threads: threads ?? null }, settings: results }, null, 2));
  out(`numbers written to ${jsonFile}`);
}
// A server that failed, lost or doubled a message fails the command (after printing everything).
const bad = [];
for (const [k, r] of Object.entries(results))
  for (const name of targets) {
    const x = r[name] || {};
    if (x.failed) bad.push(`${k}/${name}: failed`);
    else if (x.lost > 0 || x.duplicated > 0) bad.push(`${k}/${name}: ${x.lost} lost, ${x.duplicated} duplicated`);
  }
if (bad.length) out(`FAILED: ${bad.join('; ')}`);
process.exit(bad.length ? 1 : 0);

async function waitQuiet(maxS) {
  const until = Date.now() + maxS * 1000;
  for (;;) {
    const a = machineCpu();
    await new Promise((r) => setTimeout(r, 3000));
    const busy = (machineCpu().busy - a.busy) / 3;
    if (busy < 0.3) return;
    if (Date.now() > until) { out(`  (machine still busy: ${busy.toFixed(2)} cores used by others; running anyway)`); return; }
  }
}

function fmt(v, d = 1) {
  if (v === null || v === undefined || Number.isNaN(v)) return '-';
  if (typeof v === 'string') return v;
  if (Math.abs(v) >= 10000) return Math.round(v).toLocaleString('en-US');
  return v.toFixed(d);
}
function ratio(a, b) {
  if (typeof a !== 'number' || typeof b !== 'number') return '-';
  if (b === 0) return a === 0 ? '-' : 'inf';
  return (a / b).toFixed(2);
}
function printSetting(r) {
  const I = r.imchat || {}, W = r.ws || {};
  const codes = (x) => Object.entries(x.closeCodes || {}).map(([k, v]) => `${v}x${k}`).join(' ');
  const join = (x) => x.joined === undefined ? '-' : x.joinTimeMs !== null ? `${(x.joinTimeMs / 1000).toFixed(2)} s` : `${x.joined}/${x.clients} in ${(x.joinWindowMs / 1000).toFixed(0)} s`;
  const rows = [
    ['deliveries/s', I.deliveriesPerS, W.deliveriesPerS, 0],
    ['  offered deliveries/s', I.offeredDeliveriesPerS, W.offeredDeliveriesPerS, 0],
    ['  sends/s (acked+refused+failed)', I.sendsPerS, W.sendsPerS, 0],
    ['latency p50 ms', I.p50Ms, W.p50Ms, 1],
    ['latency p99 ms', I.p99Ms, W.p99Ms, 1],
    ['  send->ack p99 ms', I.ackP99Ms, W.ackP99Ms, 1],
    ['server CPU us/delivery', I.serverCpuUsPerDelivery, W.serverCpuUsPerDelivery, 2],
    ['  server cores busy', I.serverCores, W.serverCores, 2],
    ['  bench client cores busy', I.benchCores, W.benchCores, 2],
    ['  other processes cores busy', I.otherCores, W.otherCores, 2],
    ['KB per idle socket' + (r.imchat?.kbNote?.startsWith('RSS over the whole') ? ' (incl. join)' : ''), I.kbPerSocket, W.kbPerSocket, 1],
    ['join time s', I.joinTimeMs != null ? I.joinTimeMs / 1000 : null, W.joinTimeMs != null ? W.joinTimeMs / 1000 : null, 2, join(I), join(W)],
    ['  server CPU s in join', I.joinCpuS, W.joinCpuS, 1],
    ['lost (acked, not received)', I.lost, W.lost, 0],
    ['  missed by closed sockets', I.lostToClosed, W.lostToClosed, 0],
    ['duplicated', I.duplicated, W.duplicated, 0],
    ['disconnects', I.disconnects, W.disconnects, 0, I.disconnects ? `${I.disconnects} (${codes(I)})` : undefined, W.disconnects ? `${W.disconnects} (${codes(W)})` : undefined],
    ['refused sends (503/429)', I.refused, W.refused, 0],
    ['failed sends', I.errors, W.errors, 0],
    ['join failures', I.joinErrors, W.joinErrors, 0],
  ];
  out(`  ${'metric'.padEnd(34)} ${'imchat'.padStart(16)} ${'ws'.padStart(16)} ${'imchat/ws'.padStart(10)}`);
  for (const [name, a, b, d, sa, sb] of rows) {
    out(`  ${name.padEnd(34)} ${(sa ?? fmt(a, d)).padStart(16)} ${(sb ?? fmt(b, d)).padStart(16)} ${ratio(a, b).padStart(10)}`);
  }
  for (const [n, x] of [['imchat', I], ['ws', W]]) {
    if (x.failed) out(`  ${n} failed: ${x.failed.split('\n')[0]}`);
    if (x.errorSample) out(`  ${n} first failed send: ${x.errorSample}`);
    if (x.joinErrorSample) out(`  ${n} first join failure: ${x.joinErrorSample}`);
    if (x.lateJoinErrors) out(`  ${n}: ${x.lateJoinErrors} joins under way at the deadline failed later; first: ${x.lateJoinErrorSample}`);
    if (x.serverExit !== null && x.serverExit !== undefined) out(`  ${n} server exited during the run: ${x.serverExit}`);
    if (x.drainComplete === false) out(`  ${n}: drain stopped after ${(x.drainMs / 1000).toFixed(1)} s with deliveries still missing`);
    if (x.otherCores > 0.2) out(`  ${n}: WARNING other processes used ${x.otherCores.toFixed(2)} of ${mach.cores} cores during the window: figures are not clean`);
    if (x.behindSlots) out(`  ${n}: senders fell behind their schedule by ${x.behindSlots} sends (at most ${opts.inflight} unanswered per sender)`);
    if (x.deliveredUnacked) out(`  ${n}: ${x.deliveredUnacked} deliveries of messages whose send was refused or failed`);
    if (x.unknownIds || x.nonMemberDeliveries) out(`  ${n}: ${x.unknownIds} frames with unknown ids, ${x.nonMemberDeliveries} to non-members`);
  }
}
