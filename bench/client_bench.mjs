// Client benchmark: download size, first frame, idle frames, and frame CPU time
// scrolling a conversation of 10,000 messages, each printed with its budget and,
// for scrolling, the ratio against the same scroll over 50 messages (the peer run
// in this same command: a ratio near 1 means the cost does not grow with history).
//
// Usage: node bench/client_bench.mjs [--messages 10000]   (after shell/build)
import { readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { startServer, api, root } from '../tests/lib/server.mjs';
import { launch, phone, waitFor } from '../tests/lib/browser.mjs';

const N = Number(process.argv[process.argv.indexOf('--messages') + 1]) || 10000;
const site = path.join(root, 'build-web/site');
const kb = (b) => (b / 1024).toFixed(1) + ' KB';
const line = (what, value, budget, ok) => console.log(`${ok ? 'ok  ' : 'OVER'} ${what.padEnd(44)} ${value.padStart(12)}   budget ${budget}`);

// 1. Bytes before the first frame (gzip), and the font after it.
const gz = (f) => statSync(path.join(site, f + '.gz')).size;
// The page's modules (js/) load in parallel with app.js: they count too.
const modules = readdirSync(path.join(site, 'js')).filter((f) => f.endsWith('.js'));
const before = gz('index.html') + gz('app.js') + gz('app.wasm') + modules.reduce((n, f) => n + gz('js/' + f), 0);
line('download before first frame (gzip)', kb(before), '400 KB', before < 400 * 1024);
line('font after first frame (gzip)', kb(gz('fonts/ui.ttf')), '700 KB', gz('fonts/ui.ttf') < 700 * 1024);

const server = await startServer();
const browser = await launch();
try {
  // 2. First frame after navigation (median of 5 cold page loads on loopback).
  const times = [];
  for (let i = 0; i < 5; i++) {
    const p = await phone(browser);
    await p.page.goto(`${server.base}/?group=${server.demoGroup}`);
    await p.page.waitForFunction(() => window.imchatPage && window.imchatPage.firstFrameAt);
    times.push(await p.page.evaluate(() => window.imchatPage.firstFrameAt));
    await p.ctx.close();
  }
  times.sort((a, b) => a - b);
  line('first frame after navigation (median of 5)', times[2].toFixed(0) + ' ms', '1000 ms', times[2] < 1000);

  // A group with N messages, written through the API.
  const reg = await api(server.base, 'POST', '/api/regChat', { body: { username: 'benchuser', password: 'secret1' } });
  const login = await api(server.base, 'POST', '/api/loginChat', { body: { username: 'benchuser', password: 'secret1' } });
  const token = login.json.data.token;
  const mkGroup = async (name) => (await api(server.base, 'POST', '/api/chat/group/create', { token, body: { name } })).json.data.id;
  const fill = async (gid, count) => {
    let next = 0;
    const words = ['你好', 'hello', '今天天气不错，我们下午三点在会议室见面讨论一下项目进度。', 'ok', 'The quick brown fox jumps over the lazy dog. '.repeat(3)];
    const worker = async () => {
      while (next < count) {
        const i = next++;
        await api(server.base, 'POST', '/api/chat/socket/sendmessage',
          { token, body: { sendto_id: gid, chatType: 'group', type: 'text', data: `${i} ${words[i % words.length]}` } });
      }
    };
    await Promise.all(Array.from({ length: 8 }, worker));
  };
  const small = await mkGroup('small');
  const big = await mkGroup('big');
  const t0 = Date.now();
  await fill(small, 50);
  await fill(big, N);
  console.log(`     (wrote ${N + 50} messages through the API in ${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  const p = await phone(browser);
  await p.page.goto(server.base + '/');
  await p.page.evaluate((t) => {
    localStorage.setItem('imchat.user', JSON.stringify({ id: 0, token: t, role: 'user', username: 'benchuser' }));
  }, token);

  // Scrolls a conversation: load everything (wheel up), then time 120 wheel steps down and up.
  const scrollBench = async (gid, count) => {
    await p.page.goto(`${server.base}/?group=${gid}`);
    await waitFor(p.page, (s) => s.screen === 'chat' && s.connection === 'online', 'chat', 30000);
    await p.page.mouse.move(195, 400);
    for (let i = 0; i < 2000; i++) {
      const s = await p.page.evaluate(() => window.imchat.snapshot());
      if (s.open.messages.length >= count) break;
      await p.page.mouse.wheel(0, -100000);
      await new Promise((r) => setTimeout(r, 30));
    }
    const have = (await p.page.evaluate(() => window.imchat.snapshot())).open.messages.length;
    await new Promise((r) => setTimeout(r, 500));
    await p.page.evaluate(() => window.imchat.perf(true));
    for (let i = 0; i < 120; i++) {
      await p.page.mouse.wheel(0, i < 60 ? 400 : -400);
      await new Promise((r) => setTimeout(r, 16));
    }
    await new Promise((r) => setTimeout(r, 300));
    return { have, perf: await p.page.evaluate(() => window.imchat.perf(true)) };
  };
  const base = await scrollBench(small, 51);
  const heavy = await scrollBench(big, N);
  for (const r of [base, heavy]) {
    line(`scroll ${r.have} messages: UI frame CPU avg / p95`,
      `${r.perf.ui_avg_ms.toFixed(2)} / ${r.perf.ui_p95_ms.toFixed(2)} ms`, '4 ms', r.perf.ui_p95_ms < 4);
    console.log(`     (with GL submission under headless SwiftShader: avg ${r.perf.total_avg_ms.toFixed(1)} ms, ` +
      `max ${r.perf.total_max_ms.toFixed(1)} ms over ${r.perf.frames} frames; software rasterising, not a phone GPU)`);
  }
  console.log(`     ratio ${heavy.have} vs ${base.have} messages (UI frame CPU, avg): ` +
    `${(heavy.perf.ui_avg_ms / base.perf.ui_avg_ms).toFixed(2)}x`);

  // 3. Idle: nothing changes for 3 s, so nothing should be drawn.
  await p.page.mouse.move(5, 5);
  await new Promise((r) => setTimeout(r, 1000));
  await p.page.evaluate(() => window.imchat.perf(true));
  await new Promise((r) => setTimeout(r, 3000));
  const idle = await p.page.evaluate(() => window.imchat.perf(true));
  line('frames drawn in 3 s idle (online)', String(idle.frames), '0', idle.frames === 0);
  await p.ctx.close();
} finally {
  await browser.close();
  await server.stop();
}
