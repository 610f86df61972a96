// Issue 14: a full disk / read-only data dir. The server's data dir is a small tmpfs; once it
// is full, sends answer 503 with the reason (the JSON envelope, Retry-After), nothing is
// acknowledged that is not stored, reads keep working, and writes resume when space returns.
// Needs `mount -t tmpfs` (root, not in a restricted container): otherwise each test skips and
// prints why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, openSync, writeSync, closeSync, unlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startServer, api, deviceId } from '../lib/server.mjs';
import { groupHistory } from '../lib/cluster_client.mjs';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// A tmpfs of `size` at a fresh folder, or the reason it cannot be made here.
function mountTmpfs(size) {
  const dir = mkdtempSync(path.join(tmpdir(), 'imchat-fulldisk-'));
  const r = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size},mode=0755`, 'tmpfs', dir], { encoding: 'utf8' });
  if (r.error || r.status !== 0) {
    rmSync(dir, { recursive: true, force: true });
    return { skip: `mount -t tmpfs is not permitted here (${(r.error?.message || r.stderr || '').trim()}): full-disk test skipped` };
  }
  return {
    dir,
    remount: (opts) => spawnSync('mount', ['-o', `remount,${opts}`, dir], { encoding: 'utf8' }),
    unmount() {
      for (let i = 0; i < 20; i++) {
        if (spawnSync('umount', [dir]).status === 0) break;
        spawnSync('sleep', ['0.1']);
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// A tmpfs of `size` with an empty data dir on it ({fs, dataDir}), or null when the test
// was skipped because mount is not permitted here.
function tmpfsDataDir(t, size) {
  const fs = mountTmpfs(size);
  if (fs.skip) { console.log('# ' + fs.skip); t.skip(fs.skip); return null; }
  const dataDir = path.join(fs.dir, 'data');
  mkdirSync(dataDir);
  return { fs, dataDir };
}

// Writes a filler file until the file system says ENOSPC: big blocks, then small ones.
function fill(file) {
  const fd = openSync(file, 'w');
  let bytes = 0;
  try {
    for (const block of [1 << 20, 64 << 10, 4 << 10, 512]) {
      const buf = Buffer.alloc(block, 0x55);
      for (;;) {
        try { bytes += writeSync(fd, buf); } catch (e) { if (e.code === 'ENOSPC') break; throw e; }
      }
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

async function member(s, n) {
  const g = await api(s.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(800 + n) } });
  assert.equal(g.status, 200, g.text);
  const u = g.json.data;
  const j = await api(s.base, 'POST', '/api/chat/groupInviteUser',
    { token: u.token, body: { group_id: s.demoGroup, user_id: u.id, inviteuser_id: -1 } });
  assert.equal(j.status, 200, j.text);
  return u;
}

async function send(s, u, cmid, data) {
  const res = await fetch(s.base + '/api/chat/socket/sendmessage', {
    method: 'POST', headers: { token: u.token, 'content-type': 'application/json' },
    body: JSON.stringify({ sendto_id: s.demoGroup, chatType: 'group', type: 'text', data, options: '', client_msg_id: cmid }),
    signal: AbortSignal.timeout(10000),
  });
  const text = await res.text();
  return { status: res.status, retryAfter: res.headers.get('retry-after'), json: JSON.parse(text), text };
}

test('full disk: 503 with the reason, nothing acknowledged unstored, reads work, writes resume', { timeout: 120000 }, async (t) => {
  const tmp = tmpfsDataDir(t, '12m');
  if (!tmp) return;
  const { fs, dataDir } = tmp;
  let s;
  try {
    s = await startServer({ dataDir });
    const u = await member(s, 1);
    assert.equal((await send(s, u, 'before', 'before the disk filled')).status, 200);

    const filler = path.join(fs.dir, 'filler');
    const filled = fill(filler);
    console.log(`# filled the tmpfs with ${filled} bytes`);
    const acked = new Map();
    let refused = null;
    const text = 'x'.repeat(4000);
    for (let i = 0; i < 2000 && !refused; i++) {
      const r = await send(s, u, `full-${i}`, text);
      if (r.status === 200) acked.set(`full-${i}`, r.json.data);
      else refused = { cmid: `full-${i}`, ...r };
    }
    assert.ok(refused, 'a send was refused once the disk was full');
    console.log(`# ${acked.size} sends stored in free pages before the first refusal`);
    assert.equal(refused.status, 503, refused.text);
    assert.equal(refused.json.msg, 'fail');
    assert.match(refused.json.data, /storage full or read-only/);
    assert.equal(refused.retryAfter, '1');
    // Uploads too (the blob's write fails with ENOSPC).
    const up = await fetch(s.base + '/api/chat/upload', { method: 'POST', headers: { token: u.token },
      body: Buffer.alloc(256 << 10, 7), signal: AbortSignal.timeout(10000) });
    assert.equal(up.status, 503, await up.text());
    // Reads keep working and hold every acknowledged message, not the refused one.
    const hist = await groupHistory(s.base, u.token, s.demoGroup);
    for (const [cmid, m] of acked) assert.equal(hist.find((x) => x.client_msg_id === cmid)?.id, m.id, cmid);
    assert.equal(hist.filter((x) => x.client_msg_id === refused.cmid).length, 0, 'the refused send is not stored');
    const metrics = await (await fetch(s.base + '/metrics')).text();
    assert.match(metrics, /imchat_refusals_total\{reason="storage"\} [1-9]/);

    // Space returns: the same send (a retry of the refused one) is stored.
    unlinkSync(filler);
    const retry = await send(s, u, refused.cmid, text);
    assert.equal(retry.status, 200, retry.text);
    acked.set(refused.cmid, retry.json.data);
    const upAgain = await fetch(s.base + '/api/chat/upload', { method: 'POST', headers: { token: u.token },
      body: Buffer.alloc(256 << 10, 7), signal: AbortSignal.timeout(10000) });
    assert.equal(upAgain.status, 200, await upAgain.text());

    // After a restart every acknowledged message is still there, exactly once.
    await s.stop({ keepData: true });
    s = await startServer({ dataDir });
    const after = await groupHistory(s.base, u.token, s.demoGroup);
    for (const [cmid, m] of acked) {
      const found = after.filter((x) => x.client_msg_id === cmid);
      assert.equal(found.length, 1, cmid);
      assert.equal(found[0].id, m.id);
    }
  } finally {
    await s?.stop({ keepData: true });
    fs.unmount();
  }
});

// Linux refuses to remount a file system read-only while a process holds a file on it open for
// writing (the database: "mount point is busy"), so the running server's read-only case is
// tested on its uploads folder, a second tmpfs nothing keeps open: uploads answer 503 while it
// is read-only (EROFS), files already there still download, and uploads resume once writable.
test('read-only uploads folder at run time: uploads 503, downloads work, uploads resume', { timeout: 60000 }, async (t) => {
  const fs = mountTmpfs('16m');
  if (fs.skip) { console.log('# ' + fs.skip); t.skip(fs.skip); return; }
  let s;
  let uploads = null;
  try {
    const dataDir = path.join(fs.dir, 'data');
    mkdirSync(path.join(dataDir, 'uploads'), { recursive: true });
    uploads = mountTmpfs('8m');
    if (uploads.skip) { t.skip(uploads.skip); return; }
    // The uploads tmpfs goes where the server keeps uploads (data/uploads).
    const mv = spawnSync('mount', ['--move', uploads.dir, path.join(dataDir, 'uploads')], { encoding: 'utf8' });
    assert.equal(mv.status, 0, mv.stderr);
    rmSync(uploads.dir, { recursive: true, force: true });
    uploads.dir = path.join(dataDir, 'uploads');
    uploads.remount = (opts) => spawnSync('mount', ['-o', `remount,${opts}`, uploads.dir], { encoding: 'utf8' });
    s = await startServer({ dataDir });
    const u = await member(s, 2);
    const upload = () => fetch(s.base + '/api/chat/upload', { method: 'POST', headers: { token: u.token },
      body: Buffer.alloc(64 << 10, 9), signal: AbortSignal.timeout(10000) });
    const first = await upload();
    assert.equal(first.status, 200, await first.clone().text());
    const url = (await first.json()).data.url;
    const ro = uploads.remount('ro');
    assert.equal(ro.status, 0, ro.stderr);
    const refused = await upload();
    const body = await refused.json();
    assert.equal(refused.status, 503, JSON.stringify(body));
    assert.match(body.data, /storage full or read-only/);
    assert.equal((await fetch(s.base + url)).status, 200, 'an upload already there still downloads');
    assert.equal((await send(s, u, 'ro-up-1', 'texts are in the database, still writable')).status, 200);
    assert.equal(uploads.remount('rw').status, 0);
    assert.equal((await upload()).status, 200, 'uploads resume');
  } finally {
    await s?.stop({ keepData: true });
    if (uploads && !uploads.skip) spawnSync('umount', [uploads.dir]);
    fs.unmount();
  }
});

test('a data dir mounted read-only: the server refuses to start with the reason, and starts once writable', { timeout: 60000 }, async (t) => {
  const tmp = tmpfsDataDir(t, '16m');
  if (!tmp) return;
  const { fs, dataDir } = tmp;
  let s;
  try {
    s = await startServer({ dataDir });
    const u = await member(s, 3);
    const sent = await send(s, u, 'ro-start-1', 'kept across the read-only start');
    assert.equal(sent.status, 200, sent.text);
    await s.stop({ keepData: true });   // nothing open on the file system now
    s = null;
    const ro = fs.remount('ro');
    assert.equal(ro.status, 0, ro.stderr);
    // A clear message and exit status 1, not an abort.
    await assert.rejects(startServer({ dataDir }), (e) => {
      assert.match(e.message, /server exited 1/);
      assert.match(e.message, /cannot open the SQLite store .*imchat\.db/);
      return true;
    });
    assert.equal(fs.remount('rw').status, 0);
    s = await startServer({ dataDir });
    const hist = await groupHistory(s.base, u.token, s.demoGroup);
    assert.equal(hist.filter((m) => m.client_msg_id === 'ro-start-1').length, 1);
    assert.equal((await send(s, u, 'ro-start-2', 'and writes')).status, 200);
  } finally {
    fs.remount('rw');
    await s?.stop({ keepData: true });
    fs.unmount();
  }
});
