// Child processes with a raised fd limit, and what /proc says about them.
import { spawn, execSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';

export const FD_WANT = 65536;

// Runs `argv` through bash so the child gets `ulimit -n` raised (node cannot setrlimit);
// the child exec()s, so proc.pid is the program's own pid.
export function spawnRaised(argv, { env } = {}) {
  const quoted = argv.map((a) => `'${String(a).replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `ulimit -n ${FD_WANT} 2>/dev/null || ulimit -n "$(ulimit -Hn)"; exec ${quoted}`;
  return spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], env: env || process.env });
}

// Waits for `re` on the child's stdout; rejects if it exits first or after `ms`.
export function waitForLine(proc, re, ms = 15000) {
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${re} within ${ms} ms:\n${out}`)), ms);
    const onData = (d) => {
      out += d;
      const m = out.match(re);
      if (m) { clearTimeout(timer); resolve({ match: m, out }); }
    };
    proc.stdout.on('data', onData);
    proc.stderr.on('data', (d) => { out += d; });
    proc.once('exit', (code, sig) => { clearTimeout(timer); reject(new Error(`exited ${code ?? sig} before ready:\n${out}`)); });
  });
}

export async function stopProc(proc, ms = 5000) {
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const exited = new Promise((r) => proc.once('exit', r));
  proc.kill('SIGTERM');
  const t = setTimeout(() => { try { proc.kill('SIGKILL'); } catch { /* gone */ } }, ms);
  await exited;
  clearTimeout(t);
}

let clkTck = 0;
function ticksPerSecond() {
  if (!clkTck) {
    try { clkTck = Number(execSync('getconf CLK_TCK').toString().trim()) || 100; } catch { clkTck = 100; }
  }
  return clkTck;
}

// utime + stime of a process (all its threads), in microseconds.
export function cpuMicros(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return ((Number(f[11]) + Number(f[12])) * 1e6) / ticksPerSecond();
}

export function rssKB(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)\s+kB/);
  return m ? Number(m[1]) : NaN;
}

export function threads(pid) {
  const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(/Threads:\s+(\d+)/);
  return m ? Number(m[1]) : NaN;
}

export function fdLimitSelf(pid = 'self') {
  const m = readFileSync(`/proc/${pid}/limits`, 'utf8').match(/Max open files\s+(\d+|unlimited)\s+(\d+|unlimited)/);
  return m ? { soft: m[1] === 'unlimited' ? Infinity : Number(m[1]), hard: m[2] === 'unlimited' ? Infinity : Number(m[2]) } : { soft: NaN, hard: NaN };
}

export function machine() {
  let model = os.cpus()[0]?.model || 'unknown';
  try {
    const m = readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.+)/);
    if (m) model = m[1].trim();
  } catch { /* not Linux */ }
  return { cores: os.cpus().length, model, memGB: +(os.totalmem() / 2 ** 30).toFixed(1), kernel: os.release(), node: process.version };
}

// Cores busy on the whole machine: {busy, total} in seconds from /proc/stat (all CPUs).
export function machineCpu() {
  const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
  const total = f.slice(0, 8).reduce((a, b) => a + b, 0);
  const idle = f[3] + (f[4] || 0);
  const hz = ticksPerSecond();
  return { busy: (total - idle) / hz, total: total / hz };
}

export function loadAvg() { return os.loadavg().map((x) => x.toFixed(2)).join(' '); }
