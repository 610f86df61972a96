// The two servers under test behind one interface, driven by bench/lib/run.mjs:
//   start(), prepare(client) (credentials + group membership), url(client),
//   onFrame(client, buf) -> true if the frame was the target's own (an ack), send(client, text), stop().
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnRaised, waitForLine, stopProc } from './proc.mjs';
import { agent, request } from './http.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
const PER_IP = 500;   // registrations per source address when the server cannot lift its 600/h limit

// Which flags this server binary knows (from --help), so only known ones are passed.
export function serverFlags(bin) {
  let help = '';
  try { help = execFileSync(bin, ['--help'], { encoding: 'utf8', timeout: 10000 }); } catch (e) { help = String(e.stdout || ''); }
  const has = (f) => new RegExp(`(^|\\s)${f}(\\s|,|=|$)`, 'm').test(help);
  return { threads: has('--threads'), workers: has('--workers'), registerPerIp: has('--register-per-ip-hour'),
    limitsOff: has('--max-conns-per-ip') && has('--send-per-user-10s'), help };
}

function tail(s, n = 30) { return s.split('\n').slice(-n).join('\n'); }

export class ImchatTarget {
  constructor({ bin, threads, flags, httpSockets = 8, extraArgs = [] }) {
    this.extraArgs = extraArgs;
    this.name = 'imchat';
    this.bin = bin;
    this.threads = threads;
    this.flags = flags;
    this.httpSockets = httpSockets;
    this.log = '';
  }

  async start() {
    this.dir = mkdtempSync(path.join(tmpdir(), 'imchat-bench-'));
    mkdirSync(path.join(this.dir, 'site'));
    await this.spawn();
    this.sendAgent = agent(this.httpSockets);
    this.joinAgent = agent(64);
    this.deviceBase = String(Date.now() % 1e12).padStart(12, '0');
  }

  async spawn() {
    const args = [this.bin, '--listen', '127.0.0.1:0', '--data-dir', path.join(this.dir, 'data'),
      '--web-root', path.join(this.dir, 'site'), '--no-qr', '--log-level', 'warn'];
    if (this.threads && this.flags.threads) args.push('--threads', String(this.threads));
    if (this.flags.registerPerIp) args.push('--register-per-ip-hour', '1000000');
    // Thousands of sockets from 127.0.0.1, and senders faster than a person (issue 14's limits off).
    if (this.flags.limitsOff) args.push('--max-conns-per-ip', '0', '--send-per-user-10s', '0');
    args.push(...this.extraArgs);
    this.args = args.slice(1);
    this.proc = spawnRaised(args);
    const { match, out } = await waitForLine(this.proc, /serving on [^\n]*:(\d+)\n[\s\S]*join group:\s+\S+\?group=(\d+)/);
    this.log = tail(this.log + out, 200);
    this.proc.stdout.on('data', (d) => { this.log = tail(this.log + d, 200); });
    this.proc.stderr.on('data', (d) => { this.log = tail(this.log + d, 200); });
    this.port = Number(match[1]);
    this.group = Number(match[2]);
    this.pid = this.proc.pid;
  }

  // A fresh process on the same data (accounts, tokens, the group): its heap holds no
  // garbage of the registrations, so an RSS delta over opening sockets is the sockets'.
  async restart() {
    this.restarting = true;
    this.sendAgent.destroy();
    this.joinAgent.destroy();
    await stopProc(this.proc);
    await this.spawn();
    this.restarting = false;
    this.sendAgent = agent(this.httpSockets);
    this.joinAgent = agent(64);
  }

  // Guest registration and joining the group (policy 0: added at once).
  async prepare(c, registered = () => {}) {
    const localAddress = this.flags.registerPerIp ? undefined : `127.0.0.${2 + Math.floor(c.i / PER_IP)}`;
    const deviceId = `${String(c.i).padStart(8, '0')}-aaaa-4bbb-8ccc-${this.deviceBase}`;
    const r = await request(this.port, '/api/visitorRegister', {
      agent: this.joinAgent, localAddress, body: { deviceId, timestamp: Date.now() },
    });
    if (r.status !== 200 || !r.json?.data?.token) throw new Error(`visitorRegister ${r.status}: ${r.text.slice(0, 200)}`);
    c.token = r.json.data.token;
    c.userId = r.json.data.id;
    registered();
    const j = await request(this.port, '/api/chat/groupInviteUser', {
      agent: this.joinAgent, token: c.token,
      body: { group_id: this.group, user_id: c.userId, inviteuser_id: -1 },
    });
    if (j.status !== 200) throw new Error(`groupInviteUser ${j.status}: ${j.text.slice(0, 200)}`);
    if (j.json?.data?.invitee_status !== undefined && j.json.data.invitee_status !== 1)
      throw new Error(`groupInviteUser: invitee_status ${j.json.data.invitee_status}`);
  }

  async settle() {}
  url(c) { return `ws://127.0.0.1:${this.port}/ws?token=${c.token}&ack=1`; }
  welcomes() { return true; }    // the socket is authenticated once the welcome frame came
  onFrame() { return false; }

  async send(c, text, cmid) {
    try {
      const r = await request(this.port, '/api/chat/socket/sendmessage', {
        agent: this.sendAgent, token: c.token,
        body: { sendto_id: this.group, chatType: 'group', type: 'text', data: text, options: '', client_msg_id: cmid },
      });
      if (r.status === 200) return { kind: 'ok' };
      if (r.status === 503 || r.status === 429) {
        const ra = Number(r.headers['retry-after']);
        return { kind: 'refused', status: r.status, retryAfterMs: Number.isFinite(ra) && ra >= 0 ? ra * 1000 : 0 };
      }
      return { kind: 'error', detail: `HTTP ${r.status} ${r.text.slice(0, 120)}` };
    } catch (e) {
      return { kind: 'error', detail: e.message };
    }
  }

  async stop() {
    this.sendAgent?.destroy();
    this.joinAgent?.destroy();
    await stopProc(this.proc);
    if (this.dir) rmSync(this.dir, { recursive: true, force: true });
  }
}

export class WsRelayTarget {
  constructor() { this.name = 'ws'; this.log = ''; }

  async start() {
    this.proc = spawnRaised([process.execPath, '--expose-gc', path.join(here, '..', 'ws_relay.mjs'), '--listen', '127.0.0.1:0']);
    const { match, out } = await waitForLine(this.proc, /relay listening on [^\n]*:(\d+)/);
    this.log = out;
    this.proc.stderr.on('data', (d) => { this.log = tail(this.log + d, 200); });
    this.port = Number(match[1]);
    this.pid = this.proc.pid;
  }

  async prepare() {}
  async restart() {}
  // Before an RSS reading: a full GC in the relay (see ws_relay.mjs).
  async settle() { this.proc.kill('SIGUSR2'); await new Promise((r) => setTimeout(r, 300)); }
  url() { return `ws://127.0.0.1:${this.port}/`; }
  welcomes() { return false; }

  // The relay's ack: the one-byte frame "A", answering the oldest unanswered send.
  onFrame(c, buf) {
    if (buf.length !== 1 || buf[0] !== 65) return false;
    const w = c.acks.shift();
    if (w) w({ kind: 'ok' });
    return true;
  }

  send(c, text) {
    if (!c.ws || c.ws.readyState !== 1) return Promise.resolve({ kind: 'error', detail: 'socket not open' });
    return new Promise((resolve) => {
      c.acks.push(resolve);
      c.ws.send(text);
    });
  }

  async stop() { await stopProc(this.proc); }
}
