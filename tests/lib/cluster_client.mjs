// A chat client for cross-process tests that behaves like imchat's own (src/core): one socket
// (/ws?token=..&ack=1) to some live process; on a close it reconnects (to the next live process)
// and fetches the group history after the last seq it holds; a live frame whose seq skips ahead
// fetches the gap. Sends go through HTTP with a client_msg_id and are retried with the same id
// (on a network error, a timeout or a 5xx) until acknowledged or the deadline passes.
import WebSocket from 'ws';
import { after } from 'node:test';
import { api, deviceId } from './server.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let devices = 0;
const clients = new Set();   // stopped in an after() hook under the test runner
if (process.env.NODE_TEST_CONTEXT) after(() => { for (const c of clients) c.stop(); });

// `bases()` answers the base URLs of the processes alive now (the cluster changes under the test).
export class ChatClient {
  constructor(name, bases, group) {
    Object.assign(this, { name, bases, group });
    this.seqs = new Map();        // seq -> message id, live or fetched
    this.live = new Set();        // seqs that arrived live
    this.liveDup = 0;             // the same seq arrived live twice (clients dedupe; counted)
    this.closes = [];             // close codes seen
    this.sockets = 0;             // sockets opened
    this.pick = 0;
    this.upTo = 0;
    this.caughtUp = false;
    this.stopped = false;
    this.log = [];
    clients.add(this);
  }

  base() {
    const b = this.bases();
    if (!b.length) return null;
    return b[this.pick++ % b.length];
  }

  async register(base) {
    const r = await api(base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(++devices) } });
    if (r.status !== 200) throw new Error(`visitorRegister ${r.status} ${r.text}`);
    this.user = r.json.data;
    const j = await api(base, 'POST', '/api/chat/groupInviteUser',
      { token: this.user.token, body: { group_id: this.group, user_id: this.user.id, inviteuser_id: -1 } });
    if (j.status !== 200) throw new Error(`groupInviteUser ${j.status} ${j.text}`);
  }

  lastSeq() { let m = 0; for (const s of this.seqs.keys()) if (s > m) m = s; return m; }

  // Opens the socket on `base` (or the next live process) and keeps one open until stop().
  async connect(base = this.base()) {
    for (let attempt = 0; !this.stopped; attempt++) {
      try {
        await this.open(base);
        return;
      } catch (e) {
        this.log.push(`open ${base}: ${e.message}`);
        await sleep(100 + Math.random() * 300);
        base = this.base();
      }
    }
  }

  open(base) {
    if (!base) return Promise.reject(new Error('no live process'));
    const url = base.replace(/^http/, 'ws') + `/ws?token=${this.user.token}&ack=1`;
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { handshakeTimeout: 5000 });
      let welcomed = false;
      const timer = setTimeout(() => { ws.terminate(); reject(new Error('no welcome in 5 s')); }, 5000);
      ws.on('message', (d) => {
        const f = JSON.parse(d.toString());
        if (!welcomed && f.type === 'system') {
          welcomed = true;
          clearTimeout(timer);
          this.ws = ws;
          this.wsBase = base;
          this.sockets++;
          this.catchUp(base).catch((e) => this.log.push(`catch-up: ${e.message}`));
          resolve();
          return;
        }
        if (f.type === 'singleChat' && f.data && f.data.to_id === this.group && f.data.chatType === 'group' && f.data.seq) {
          this.onLive(f.data, base);
        }
      });
      ws.on('error', (e) => { if (!welcomed) { clearTimeout(timer); reject(e); } });
      ws.on('close', (code) => {
        clearTimeout(timer);
        if (!welcomed) { reject(new Error(`closed ${code} before welcome`)); return; }
        this.closes.push(code);
        if (this.ws === ws) this.ws = null;
        if (!this.stopped) setTimeout(() => this.connect(), 200 + Math.random() * 300);
      });
    });
  }

  onLive(m, base) {
    if (this.live.has(m.seq)) this.liveDup++;
    this.live.add(m.seq);
    this.hold(m.seq, m.id, base);
  }

  // Highest seq with every seq up to it held.
  contig() {
    while (this.seqs.has(this.upTo + 1)) this.upTo++;
    return this.upTo;
  }

  // A seq that skips ahead of what is held fetches the gap (one fetch at a time).
  hold(seq, id, base) {
    this.seqs.set(seq, id);
    if (seq <= this.contig() + 1 || this.fetching || !this.caughtUp) return;
    this.fetching = true;
    this.fetchRange(base, this.contig(), seq)
      .catch((e) => this.log.push(`gap: ${e.message}`))
      .finally(() => { this.fetching = false; });
  }

  // History after `after` (exclusive) up to `upTo` (exclusive; 0: the end), 50 at a time.
  async fetchRange(base, after, upTo = 0) {
    for (let guard = 0; guard < 200; guard++) {
      const r = await api(base, 'GET', `/api/chat/history/group/${this.group}?after_seq=${after}&limit=50`, { token: this.user.token });
      if (r.status !== 200) throw new Error(`history ${r.status} ${r.text}`);
      const page = r.json.data.list;
      for (const m of page) this.seqs.set(m.seq, m.id);
      if (page.length < 50) return;
      after = Math.max(...page.map((m) => m.seq));
      if (upTo && after >= upTo - 1) return;
    }
  }

  async catchUp(base) {
    // Retried: the process may be going down under us.
    for (let i = 0; i < 20 && !this.stopped; i++) {
      try { await this.fetchRange(base, this.contig()); this.caughtUp = true; return; } catch (e) {
        this.log.push(`catch-up on ${base}: ${e.message}`);
        await sleep(250);
        base = this.wsBase || this.base() || base;
      }
    }
  }

  // Sends with `cmid` until acknowledged (returns the stored message) or `deadlineMs` passes (null).
  async send(text, cmid, deadlineMs = 20000) {
    const until = Date.now() + deadlineMs;
    let base = this.wsBase || this.base();
    for (;;) {
      let r;
      try {
        r = await Promise.race([
          api(base, 'POST', '/api/chat/socket/sendmessage', { token: this.user.token,
            body: { sendto_id: this.group, chatType: 'group', type: 'text', data: text, options: '', client_msg_id: cmid } }),
          sleep(5000).then(() => { throw new Error('no answer in 5 s'); }),
        ]);
      } catch (e) {
        r = { status: 0, text: e.message };
      }
      if (r.status === 200) {   // the stored copy: the sender's own message (no echo on its socket)
        this.hold(r.json.data.seq, r.json.data.id, base);
        return r.json.data;
      }
      if (r.status > 0 && r.status < 500 && r.status !== 429) throw new Error(`send refused ${r.status} ${r.text}`);
      this.log.push(`send ${cmid} via ${base}: ${r.status} ${r.text.slice(0, 120)}`);
      if (Date.now() > until) return null;
      await sleep(100 + Math.random() * 200);
      base = this.base() || base;
    }
  }

  stop() { this.stopped = true; this.ws?.terminate(); clients.delete(this); }
}

// Polls `check()` until it is true or `ms` pass; answers whether it became true.
export async function eventually(check, ms, step = 100) {
  const until = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > until) return false;
    await sleep(step);
  }
}

// The whole group history (every seq), read through `base` with `token`.
export async function groupHistory(base, token, group) {
  const all = [];
  let after = 0;
  for (let guard = 0; guard < 1000; guard++) {
    const r = await api(base, 'GET', `/api/chat/history/group/${group}?after_seq=${after}&limit=50`, { token });
    if (r.status !== 200) throw new Error(`history ${r.status} ${r.text}`);
    const page = r.json.data.list;
    all.push(...page);
    if (page.length < 50) return all;
    after = Math.max(...page.map((m) => m.seq));
  }
  throw new Error('history did not end');
}
