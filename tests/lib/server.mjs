// Starts a real imchat-server on a free loopback port with a fresh data folder.
import { spawn } from 'node:child_process';
import { after } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const serverBin = process.env.IMCHAT_SERVER_BIN || path.join(root, 'build/src/server/imchat-server');
export const webRoot = process.env.IMCHAT_WEB_ROOT || path.join(root, 'build-web/site');

// Servers a test left running (it failed before its stop()) would keep the test file's
// process alive, and `node --test` would wait for it forever: under the test runner,
// whatever is still running when the file's tests end is killed.
const running = new Set();
if (process.env.NODE_TEST_CONTEXT) {
  after(() => {
    for (const proc of running) if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGKILL');
  });
}

export async function startServer({ dataDir, port: wantPort = 0, extraArgs = [] } = {}) {
  const dir = dataDir || mkdtempSync(path.join(tmpdir(), 'imchat-test-'));
  const args = ['--listen', `127.0.0.1:${wantPort}`, '--data-dir', dir, '--web-root', webRoot, '--no-qr',
    '--log-level', 'warn', ...extraArgs];
  const proc = spawn(serverBin, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  running.add(proc);
  proc.once('exit', () => running.delete(proc));
  let out = '';
  proc.stderr.on('data', (d) => { out += d; });
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('server did not start:\n' + out)), 10000);
    proc.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/serving on [^:]+:(\d+)/);
      const j = out.match(/join group:\s+(\S+)/);
      if (m && j) { clearTimeout(timer); resolve(Number(m[1])); }
    });
    proc.on('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}:\n${out}`)); });
  });
  const demoGroup = Number(out.match(/join group:\s+\S+\?group=(\d+)/)[1]);
  const base = `http://127.0.0.1:${port}`;
  return {
    port, base, dir, demoGroup, proc,
    output: () => out,
    async stop({ keepData = false, signal = 'SIGTERM' } = {}) {
      if (proc.exitCode === null) {
        const exited = new Promise((r) => proc.once('exit', r));
        proc.kill(signal);
        await exited;
      }
      if (!keepData) rmSync(dir, { recursive: true, force: true });
    },
  };
}

// The reference HTTP envelope: {msg, data} with status.
export async function api(base, method, route, { token, body } = {}) {
  const headers = {};
  if (token) headers.token = token;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(base + route, {
    method, headers, body: body === undefined ? undefined : (typeof body === 'string' ? body : JSON.stringify(body)),
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* not JSON */ }
  return { status: res.status, json, text };
}

export function deviceId(n) {
  return `${String(n).padStart(8, '0')}-aaaa-4bbb-8ccc-${String(Date.now() % 1e12).padStart(12, '0')}`;
}
