// Every server flag has an env twin (README): `imchat-server --help` lists each option with
// (Env:IMCHAT_<NAME>), and setting that variable changes the option's value, as
// `--print-config` (every option's value after flags and env, then exit) shows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { serverBin } from '../lib/server.mjs';

const help = execFileSync(serverBin, ['--help'], { encoding: 'utf8', timeout: 10000 });
// "  --name TYPE[:{a,b}] [=default] (Env:IMCHAT_NAME)" or a flag "  --name (Env:...)".
const options = [];
for (const line of help.split('\n')) {
  const m = line.match(/^\s+(?:-\w,\s*)?--([a-z0-9-]+)(.*)$/);
  if (!m || m[1] === 'help') continue;
  options.push({ name: m[1], rest: m[2], env: (m[2].match(/\(Env:(\w+)\)/) || [])[1] });
}

test('--help lists the options, each with an IMCHAT_ env twin named after it', () => {
  assert.ok(options.length >= 25, `only ${options.length} options parsed from --help:\n${help}`);
  const without = options.filter((o) => o.name !== 'print-config' && o.env !== `IMCHAT_${o.name.replace(/-/g, '_').toUpperCase()}`);
  assert.deepEqual(without.map((o) => o.name), [], 'options without their IMCHAT_<NAME> env twin');
});

function valueFor(o) {
  const choices = o.rest.match(/:\{([^}]*)\}/);
  if (choices) return choices[1].split(',').at(-1).trim();
  if (/^\s*(INT|UINT|FLOAT|NUMBER)/.test(o.rest) || /^\s*\[?(INT|UINT)/.test(o.rest)) return '7';
  if (/^\s*\(Env:/.test(o.rest)) return 'true';   // a flag: "--no-qr (Env:IMCHAT_NO_QR)  text"
  return 'chosen-by-env';
}

test('each env twin sets its option (checked with --print-config)', { timeout: 120000 }, () => {
  const wrong = [];
  let checked = 0;
  for (const o of options) {
    if (!o.env) continue;
    checked++;
    const value = valueFor(o);
    let out;
    try {
      out = execFileSync(serverBin, ['--print-config'], { encoding: 'utf8', timeout: 10000, env: { ...process.env, [o.env]: value } });
    } catch (e) {
      wrong.push(`${o.env}=${value}: exited ${e.status}: ${String(e.stderr).trim()}`);
      continue;
    }
    const line = out.split('\n').find((l) => l.startsWith(`${o.name}=`));
    if (!line || !line.includes(value)) wrong.push(`${o.env}=${value}: ${line ?? '(not printed)'}`);
  }
  assert.deepEqual(wrong, []);
  assert.equal(checked, options.length - 1, 'every option but --print-config has a twin to check');
});

test('a flag on the command line wins over its env twin', () => {
  const out = execFileSync(serverBin, ['--print-config', '--max-conns-per-ip', '5'], { encoding: 'utf8', timeout: 10000,
    env: { ...process.env, IMCHAT_MAX_CONNS_PER_IP: '9' } });
  assert.match(out, /^max-conns-per-ip=5$/m);
});
