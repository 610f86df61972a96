// One setting against one target: join, idle-socket memory, a measured send window, a drain,
// then the bookkeeping (latency, lost, duplicated, disconnects, refused sends).
import WebSocket from 'ws';
import { performance } from 'node:perf_hooks';
import { cpuMicros, rssKB, machineCpu, loadAvg, threads, fdLimitSelf } from './proc.mjs';

const MARK = Buffer.from('~Bm');
const TEXT_BYTES = 100;
const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

// "~Bm" + message id (base 36, 8) + send time (µs since the bench's clock origin, 12) + padding.
function makeText(id, sentAtMs) {
  const head = 'Bm'.padStart(3, '~') + id.toString(36).padStart(8, '0') + String(Math.round(sentAtMs * 1000)).padStart(12, '0');
  return head + 'x'.repeat(TEXT_BYTES - head.length);
}

// Runs fn over items with at most n at once; stops starting new ones once stop() is true.
async function pool(items, n, fn, stop = () => false) {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const it = items[next++];
      await fn(it);
    }
  };
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, worker));
}

class Samples {
  constructor() { this.a = new Float64Array(1 << 16); this.n = 0; }
  push(v) {
    if (this.n === this.a.length) { const b = new Float64Array(this.a.length * 2); b.set(this.a); this.a = b; }
    this.a[this.n++] = v;
  }
  pct(p) {
    if (!this.n) return null;
    if (!this.sorted) { this.sorted = this.a.slice(0, this.n).sort(); }
    return this.sorted[Math.min(this.n - 1, Math.floor((p / 100) * this.n))];
  }
}

export async function runSetting(target, S, opts, say = () => {}) {
  const N = S.clients;
  const st = {
    joinErrors: 0, joinErrorSample: null, otherFrames: 0, unknownIds: 0, nonMemberDeliveries: 0,
    disconnects: 0, closeCodes: {}, sent: 0, acked: 0, refused: 0, refusedByStatus: {}, errors: 0, errorSample: null,
    winDeliveries: 0, dupDeliveries: 0, behindSlots: 0, serverExit: null,
  };
  const msgs = [];
  const lat = new Samples();
  const ackLat = new Samples();
  let phase = 'setup';
  let closing = false;

  await target.start();
  let pid = target.pid;
  const watchExit = () => {
    const p = target.proc;
    p.once('exit', (code, sig) => { if (!closing && !target.restarting) st.serverExit = code ?? sig; });
  };
  watchExit();
  const fds = fdLimitSelf(pid).soft;
  if (fds < N + 100) say(`  WARNING ${target.name} may open only ${fds} files for ${N} sockets (raise the hard limit: ulimit -Hn)`);
  const clients = Array.from({ length: N }, (_, i) => ({ i, ws: null, open: false, closed: false, member: false, abandon: false, acks: [] }));

  function onMessage(c, data) {
    if (target.onFrame(c, data)) return;
    const k = data.indexOf(MARK);
    if (k < 0) { st.otherFrames++; return; }
    const now = performance.now();
    const id = parseInt(data.toString('latin1', k + 3, k + 11), 36);
    const m = msgs[id];
    if (!m) { st.unknownIds++; return; }
    if (!c.member) { st.nonMemberDeliveries++; return; }
    if (m.recv[c.i]++ > 0) { st.dupDeliveries++; if (m.recv[c.i] > 200) m.recv[c.i] = 200; return; }
    m.uniq++;
    if (phase === 'measure') st.winDeliveries++;
    if (m.inWindow) lat.push(now - Number(data.toString('latin1', k + 11, k + 23)) / 1000);
  }

  function onClose(c, code) {
    if (c.closed) return;
    c.closed = true;
    c.open = false;
    for (const w of c.acks.splice(0)) w({ kind: 'error', detail: `socket closed ${code}` });
    if (closing || c.abandon) return;
    st.disconnects++;
    st.closeCodes[code] = (st.closeCodes[code] || 0) + 1;
    if (phase !== 'setup') c.closedIn = phase;
  }

  function openSocket(c) {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(target.url(c), { perMessageDeflate: false, skipUTF8Validation: true, handshakeTimeout: 60000 });
      c.ws = ws;
      const welcome = target.welcomes();
      let done = false;
      const ok = () => { if (!done) { done = true; c.open = true; resolve(); } };
      ws.on('open', () => { if (!welcome) ok(); });
      ws.on('message', (data) => {
        if (!done && welcome) {
          if (data.indexOf('"fail"') >= 0) return;   // refused token: the close follows
          ok();
        }
        onMessage(c, data);
      });
      ws.on('error', (e) => { c.lastError = e.message; if (!done) { done = true; reject(e); } });
      ws.on('close', (code) => { onClose(c, code); if (!done) { done = true; reject(new Error(`closed ${code} before open`)); } });
    });
  }

  const res = { clients: N, senders: S.senders, ratePerSender: S.rate, textBytes: TEXT_BYTES };
  const cpuSelf = () => { const u = process.cpuUsage(); return u.user + u.system; };

  // 1. Join (and the memory of idle authenticated sockets).
  if (S.join) {
    // Register + join + open, concurrently, timed from the first register to the last open.
    await target.settle();
    const rss0 = rssKB(pid);
    const cpu0 = cpuMicros(pid);
    const t0 = performance.now();
    const deadline = t0 + opts.joinTimeoutS * 1000;
    let lastOpen = t0;
    let timer;
    const timedOut = new Promise((r) => { timer = setTimeout(r, opts.joinTimeoutS * 1000); });
    let registered = 0, inGroup = 0, inFlight = 0;
    const progress = [];
    const tick = setInterval(() => {
      progress.push({ s: Math.round((performance.now() - t0) / 1000), registered, inGroup, open: clients.filter((c) => c.member).length, inFlight });
    }, 5000);
    const joining = pool(clients, opts.joinConcurrency, async (c) => {
      inFlight++;
      try {
        await target.prepare(c, () => registered++);
        inGroup++;
        await openSocket(c);
        if (performance.now() > deadline) { c.abandon = true; c.ws.terminate(); return; }
        c.member = true;
        lastOpen = performance.now();
      } catch (e) {
        if (c.abandon) return;   // its socket was closed by us at the deadline
        if (performance.now() > deadline) {
          c.abandon = true; c.ws?.terminate();
          if (!closing) { st.lateJoinErrors = (st.lateJoinErrors || 0) + 1; st.lateJoinErrorSample ??= e.message; }
          return;
        }
        st.joinErrors++;
        st.joinErrorSample ??= e.message;
      } finally { inFlight--; }
    }, () => performance.now() > deadline);
    await Promise.race([joining, timedOut]);
    clearTimeout(timer);
    clearInterval(tick);
    res.joinProgress = progress;
    res.joinInFlightAtDeadline = inFlight;
    res.joinStages = { registered, inGroup };
    const joined = clients.filter((c) => c.member).length;
    res.joined = joined;
    res.joinTimeMs = joined === N ? lastOpen - t0 : null;
    res.joinWindowMs = Math.min(performance.now(), deadline) - t0;
    res.joinCpuS = (cpuMicros(pid) - cpu0) / 1e6;
    if (joined < N) {
      say(`  ${target.name}: ${joined}/${N} joined within ${opts.joinTimeoutS} s (registered ${registered}, in the group ${inGroup}, ${inFlight} under way); the rest are abandoned`);
      say(`    progress (s: registered/in group/socket open): ${progress.map((p) => `${p.s}: ${p.registered}/${p.inGroup}/${p.open}`).join(', ')}`);
      for (const c of clients) if (!c.member) { c.abandon = true; c.ws?.terminate(); }
    }
    await sleep(1000);
    await target.settle();
    res.kbPerSocket = joined ? (rssKB(pid) - rss0) / joined : null;
    res.kbNote = 'RSS over the whole join (register + join + open) / joined';
    // Joins still under way are not waited for past the deadline; their sockets are closed as they open.
    joining.catch(() => {});
  } else {
    const t0 = performance.now();
    const cpu0 = cpuMicros(pid);
    await pool(clients, opts.joinConcurrency, async (c) => {
      try { await target.prepare(c); c.prepared = true; } catch (e) { st.joinErrors++; st.joinErrorSample ??= e.message; }
    });
    const prepMs = performance.now() - t0;
    res.joinCpuS = (cpuMicros(pid) - cpu0) / 1e6;
    await target.restart();   // imchat: a fresh process on the same data (see targets.mjs)
    pid = target.pid;
    watchExit();
    await sleep(1000);
    await target.settle();
    const rss0 = rssKB(pid);
    const cpu1 = cpuMicros(pid);
    const t1 = performance.now();
    await pool(clients.filter((c) => c.prepared), 100, async (c) => {
      try { await openSocket(c); c.member = true; } catch (e) { st.joinErrors++; st.joinErrorSample ??= e.message; }
    });
    const openMs = performance.now() - t1;
    res.joinCpuS += (cpuMicros(pid) - cpu1) / 1e6;
    await sleep(1000);
    await target.settle();
    const opened = clients.filter((c) => c.member).length;
    res.joined = opened;
    res.joinTimeMs = opened === N ? prepMs + openMs : null;
    res.prepMs = prepMs;
    res.openMs = openMs;
    res.kbPerSocket = opened ? (rssKB(pid) - rss0) / opened : null;
    res.kbNote = 'RSS over opening the idle authenticated sockets (fresh server process) / opened';
  }
  const members = clients.filter((c) => c.member);
  res.members = members.length;
  await sleep(1000);   // let join notices and the like settle before measuring

  // 2. Send: warm-up, measured window, stop, drain.
  const senders = members.slice(0, S.senders);
  const period = 1000 / S.rate;
  let sending = true;
  // Each sender sends on its schedule with at most opts.inflight sends unanswered (1: closed
  // loop); a slot that finds the window full waits for an answer and counts as behind schedule.
  // A refused send (503/429) pauses that sender for its Retry-After before the next send.
  const inflightMax = Math.max(1, opts.inflight || 1);
  const senderLoop = async (c, k) => {
    let next = performance.now() + (k * period) / senders.length;
    let inflight = 0;
    let pauseUntil = 0;
    let wake = null;
    const running = new Set();
    const settle = (m, r) => {
      const t = performance.now();
      if (r.kind === 'ok') {
        m.state = 1; st.acked++;
        if (m.inWindow) ackLat.push(t - m.sentAt);
      } else if (r.kind === 'refused') {
        m.state = 2; st.refused++;
        st.refusedByStatus[r.status] = (st.refusedByStatus[r.status] || 0) + 1;
        if (r.retryAfterMs > 0) pauseUntil = Math.max(pauseUntil, t + r.retryAfterMs);
      } else {
        m.state = 3; st.errors++; st.errorSample ??= r.detail;
      }
    };
    while (sending) {
      let now = performance.now();
      if (pauseUntil > now) { await sleep(pauseUntil - now); if (!sending) break; next = Math.max(next, performance.now()); continue; }
      if (next > now) { await sleep(next - now); if (!sending) break; now = performance.now(); }
      if (inflight >= inflightMax) { await new Promise((r) => { wake = r; }); continue; }
      if (now - next > 2 * period) { st.behindSlots += Math.floor((now - next) / period); next = now; }
      next += period;
      if (c.closed) { await sleep(period); continue; }
      const id = msgs.length;
      const sentAt = performance.now();
      const m = { sender: c.i, sentAt, state: 0, inWindow: phase === 'measure', recv: new Uint8Array(N), uniq: 0 };
      msgs.push(m);
      st.sent++;
      inflight++;
      const p = target.send(c, makeText(id, sentAt), `bench-${id}`).then((r) => {
        settle(m, r);
        inflight--;
        running.delete(p);
        if (wake) { const w = wake; wake = null; w(); }
      });
      running.add(p);
      if (inflightMax === 1) await p;
    }
    await Promise.all([...running]);
  };
  phase = 'warmup';
  const loops = senders.map(senderLoop);
  await sleep(opts.warmupS * 1000);
  phase = 'measure';
  const w0 = performance.now();
  const cpuW0 = cpuMicros(pid);
  const selfW0 = cpuSelf();
  const mach0 = machineCpu();
  const sent0 = st.sent;
  await sleep(opts.seconds * 1000);
  const w1 = performance.now();
  const cpuW1 = cpuMicros(pid);
  const selfW1 = cpuSelf();
  const mach1 = machineCpu();
  const sentW = st.sent - sent0;
  phase = 'drain';
  const winDeliveries = st.winDeliveries;
  sending = false;
  await Promise.all(loops);

  // Drain: until every acknowledged message reached every open member, or no progress for 3 s.
  const missing = () => {
    let n = 0;
    for (const m of msgs) {
      if (m.state !== 1) continue;
      for (const c of members) if (c.i !== m.sender && !c.closed && m.recv[c.i] === 0) n++;
    }
    return n;
  };
  const d0 = performance.now();
  let last = missing();
  let lastChange = d0;
  while (last > 0 && performance.now() - lastChange < opts.drainIdleS * 1000 && performance.now() - d0 < opts.drainMaxS * 1000) {
    await sleep(200);
    const now = missing();
    if (now !== last) { last = now; lastChange = performance.now(); }
  }
  res.drainMs = performance.now() - d0;
  res.drainComplete = last === 0;
  await sleep(300);   // duplicates that trail the last first copy

  // 3. Bookkeeping.
  let lost = 0, lostToClosed = 0, deliveredUnacked = 0, expected = 0;
  for (const m of msgs) {
    for (const c of members) {
      if (c.i === m.sender) continue;
      if (m.state === 1) {
        expected++;
        if (m.recv[c.i] === 0) { if (c.closed) lostToClosed++; else lost++; }
      } else if (m.recv[c.i] > 0) deliveredUnacked++;
    }
  }
  const windowS = (w1 - w0) / 1000;
  Object.assign(res, {
    windowS,
    sendsPerS: sentW / windowS,
    offeredDeliveriesPerS: (S.senders * S.rate * Math.max(0, members.length - 1)),
    deliveriesPerS: winDeliveries / windowS,
    p50Ms: lat.pct(50), p99Ms: lat.pct(99), maxMs: lat.pct(100), latencySamples: lat.n,
    ackP50Ms: ackLat.pct(50), ackP99Ms: ackLat.pct(99),
    serverCpuUsPerDelivery: winDeliveries ? (cpuW1 - cpuW0) / winDeliveries : null,
    serverCores: (cpuW1 - cpuW0) / 1e6 / windowS,
    benchCores: (selfW1 - selfW0) / 1e6 / windowS,
    // Everything else on the machine in the window (other users' work makes the figures noisy).
    otherCores: Math.max(0, (mach1.busy - mach0.busy) / windowS - (cpuW1 - cpuW0) / 1e6 / windowS - (selfW1 - selfW0) / 1e6 / windowS),
    loadAvgAfter: loadAvg(),
    serverRssKB: rssKB(pid),
    serverThreads: threads(pid),
    serverFdLimit: fds,
    sent: st.sent, acked: st.acked, refused: st.refused, refusedByStatus: st.refusedByStatus,
    errors: st.errors, errorSample: st.errorSample, behindSlots: st.behindSlots,
    expectedDeliveries: expected, lost, lostToClosed, duplicated: st.dupDeliveries, deliveredUnacked,
    disconnects: st.disconnects, closeCodes: st.closeCodes,
    joinErrors: st.joinErrors, joinErrorSample: st.joinErrorSample,
    lateJoinErrors: st.lateJoinErrors || 0, lateJoinErrorSample: st.lateJoinErrorSample || null,
    otherFrames: st.otherFrames, unknownIds: st.unknownIds, nonMemberDeliveries: st.nonMemberDeliveries,
    serverExit: st.serverExit,
  });

  // 4. Close everything.
  closing = true;
  for (const c of clients) c.ws?.terminate();
  await target.stop();
  return res;
}
