// The client survives a hostile server and hostile members (issue 14). A fake server in node
// (tests/lib/fake_server.mjs) serves the built site and lets the page register as a guest and
// open a group, then sends malformed frames, wrong-typed fields, missing ids, huge and negative
// seq, 10,000-deep JSON, 1 MB texts and invalid UTF-8, over the socket and in API answers.
// After each kind: no pageerror / WASM abort (browser.mjs fails the file on one), snapshot()
// answers, and a later valid message shows. Then a member's texts built to hurt a renderer:
// the page stays responsive, the 4,000-line text is folded with 展开, the next message stays in
// view. Screenshots: test-output/hostile-*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startFakeServer } from '../lib/fake_server.mjs';
import { launch, phone, waitFor, snapshot, outDir, targetRect, tap } from '../lib/browser.mjs';

let fake, browser, p;
before(async () => {
  fake = await startFakeServer();
  browser = await launch();
  p = await phone(browser, 'zh-CN');
  await p.page.goto(`${fake.base}/?group=${fake.gid}`);
  await waitFor(p.page, inChat, 'in the fake server\'s group');
});
after(async () => { await browser?.close(); await fake?.stop(); });

const inChat = (s) => s.screen === 'chat' && s.connection === 'online' && s.open && s.open.id === fake.gid;
const shows = (id) => (s) => s.open && s.open.messages.some((m) => m.id === id);

// snapshot() answers promptly, and a valid message sent now shows.
async function stillWorks(label, timeout = 15000) {
  const t0 = Date.now();
  const s = await snapshot(p.page);
  assert.ok(s && s.user, `${label}: snapshot() answers`);
  assert.ok(Date.now() - t0 < 3000, `${label}: snapshot() took ${Date.now() - t0} ms`);
  await waitFor(p.page, inChat, `${label}: online in the chat`, timeout);
  const m = fake.say(`still here after ${label}`);
  await waitFor(p.page, shows(m.id), `${label}: a later valid message shows`, timeout);
}

const chat = (data) => JSON.stringify({ type: 'singleChat', timestamp: Date.now(), data });
const msg = (fields) => ({ to_id: fake.gid, chatType: 'group', type: 'text', from_id: fake.owner, from_name: 'x', ...fields });
const deepArray = (n) => '['.repeat(n) + ']'.repeat(n);
const deepObject = (n) => '{"a":'.repeat(n) + '1' + '}'.repeat(n);

// First, while the seqs are sane: each kind of bad answer to the history request a seq gap
// makes the client send, then bad group info for a second page.
test('hostile API answers (history after a seq gap, then the group info)', async () => {
  const base = fake.say('a first message: the client now knows a seq');
  await waitFor(p.page, shows(base.id), 'the first message');
  const bad = [
    { status: 200, body: deepArray(10000) },
    { status: 200, body: `{"msg":"ok","data":{"list":${deepArray(10000)}}}` },
    { status: 200, body: JSON.stringify({ msg: 'ok', data: { list: 'not a list' } }) },
    { status: 200, body: JSON.stringify({ msg: 'ok', data: { list: [5, null, 'x', { id: '1', seq: {} }, { seq: -1 }] } }) },
    { status: 200, body: JSON.stringify({ msg: 'ok', data: { list: [{ id: 9600, seq: 1e300, data: 'x'.repeat(1 << 20) }] } }) },
    { status: 200, body: Buffer.from([0x7b, 0xff, 0xfe, 0x7d]) },
    { status: 200, body: Buffer.concat([Buffer.from('{"msg":"ok","data":{"list":[{"id":9601,"data":"'),
      Buffer.from([0xed, 0xa0, 0x80, 0xff]), Buffer.from('"}]}}')]) },
    { status: 500, body: '<html>oops</html>' },
    { status: 200, body: '' },
    { status: 200, body: JSON.stringify({ msg: { x: 1 }, data: 5 }) },
  ];
  for (const [i, answer] of bad.entries()) {
    let served = false;
    fake.answer('/api/chat/history/', () => { served = true; return answer; });
    // A message whose seq jumps ahead: the client asks the history for what it missed.
    const gap = fake.say({ data: `gap ${i}`, seq: fake.messages.at(-1).seq + 5 });
    await waitFor(p.page, shows(gap.id), `gap ${i} arrives`);
    for (let k = 0; k < 50 && !served; k++) await new Promise((r) => setTimeout(r, 100));
    fake.clearAnswers();
    assert.ok(served, `answer ${i}: the client asked for the history`);
    await stillWorks(`bad history answer ${i}`);
  }
  // The group info, every way wrong, when a second page opens the group.
  for (const body of [deepObject(10000), JSON.stringify({ msg: 'ok', data: { id: '7', group_users: 'all', name: {} } }),
    JSON.stringify({ msg: 'ok', data: { id: fake.gid, name: '名'.repeat(300000), group_users: [null, 5, { user_id: 'x' }] } })]) {
    fake.answer('/api/chat/groupinfo/', () => ({ status: 200, body }));
    const q = await phone(browser, 'zh-CN');
    await q.page.goto(`${fake.base}/?group=${fake.gid}`);
    await waitFor(q.page, (s) => s.screen !== 'loading', 'a screen other than loading');
    await new Promise((r) => setTimeout(r, 500));
    assert.ok(await snapshot(q.page), 'snapshot() answers');
    fake.clearAnswers();
    await q.ctx.close();
  }
  await stillWorks('hostile API answers');
});

test('malformed frames', async () => {
  for (const f of ['not json', '{', '}', '[]', 'null', '0', 'true', '""', '{"type":', '\u0000', '{"type":"singleChat","data":',
    '{"type":"singleChat","data":{"id":1,"seq":1,"data":"x"', '\uFEFF{}', '{"type":"singleChat"}{"type":"pong"}'])
    fake.pushRaw(f);
  await stillWorks('malformed frames');
});

test('wrong-typed fields', async () => {
  const frames = [
    { type: 5 }, { type: null }, { type: ['singleChat'] }, { type: { a: 1 } },
    { type: 'singleChat', data: 'a string' }, { type: 'singleChat', data: null }, { type: 'singleChat', data: [] },
    { type: 'singleChat', data: 42 },
    { type: 'singleChat', data: msg({ id: '9001', seq: '9001', from_id: 'x', to_id: String(fake.gid), data: 'numbers as strings' }) },
    { type: 'singleChat', data: msg({ id: 9002, seq: 9002, data: { text: 'an object for a string' } }) },
    { type: 'singleChat', data: msg({ id: {}, seq: [], from_id: {}, chatType: {}, type: [], data: 7 }) },
    { type: 'singleChat', data: msg({ id: 9003, seq: 9003, data: 'odd fields', create_time: 'yesterday', isremove: '1',
      from_name: { n: 1 }, from_avatar: 5, options: { o: 1 }, client_msg_id: 12 }) },
    { type: 'singleChat', data: msg({ id: 9004, seq: 9004, chatType: 'single', to_id: fake.me, from_id: 'owner', data: 'dm' }) },
    { type: 'system', data: { text: 1 } }, { type: 'system', data: null }, { type: 'error', data: 123 },
    { msg: 'fail', data: { reason: 1 } }, { type: 'pong', timestamp: 'soon' }, { type: 'ping', timestamp: {} },
  ];
  for (const f of frames) fake.pushRaw(f);
  await stillWorks('wrong-typed fields');
});

test('missing ids', async () => {
  fake.pushRaw(chat(msg({ seq: 9100, data: 'no id' })));
  fake.pushRaw(chat(msg({ data: 'no id, no seq' })));
  fake.pushRaw(chat({ id: 9101, data: 'no to_id, no chatType' }));
  fake.pushRaw(chat({ id: 9102, seq: 9102 }));
  fake.pushRaw(chat({}));
  await stillWorks('missing ids');
});

test('huge and negative seq and ids', async () => {
  for (const [id, seq] of [['9007199254740993', '9007199254740993'], ['9200', '1e300'], ['9201', '-1'],
    ['9202', '-9223372036854775808'], ['9203', '9223372036854775807'], ['9204', '18446744073709551616'],
    ['9205', '1.5'], ['-5', '9206'], ['1e20', '9207'], ['0', '0'], ['9208', '-0'], ['9209', '1e400']])
    fake.pushRaw(`{"type":"singleChat","timestamp":1,"data":{"id":${id},"seq":${seq},"to_id":${fake.gid},` +
      `"chatType":"group","type":"text","from_id":${fake.owner},"data":"seq ${seq}"}}`);
  await stillWorks('huge and negative seq');
});

test('10,000-deep JSON', async () => {
  fake.pushRaw(deepArray(10000));
  fake.pushRaw(deepObject(10000));
  fake.pushRaw(`{"type":"singleChat","timestamp":1,"data":{"id":9300,"seq":9300,"to_id":${fake.gid},"chatType":"group",` +
    `"type":"text","from_id":${fake.owner},"data":${deepArray(10000)},"options":${deepObject(10000)}}}`);
  fake.pushRaw(`{"type":"system","data":${deepObject(10000)}}`);
  await stillWorks('10,000-deep JSON');
});

test('1 MB texts', async () => {
  const mb = 'x'.repeat(1 << 20);
  fake.pushRaw(mb);                                                       // not JSON
  fake.pushRaw(chat(msg({ id: 9400, seq: 9400, data: 'from a long name', from_name: '名'.repeat(350000) })));
  fake.pushRaw({ type: 'system', data: mb });
  const big = fake.say(mb);                                                // a valid 1 MB message: folded
  await waitFor(p.page, shows(big.id), 'the 1 MB message arrives');
  const s = await waitFor(p.page, (x) => x.open.messages.some((m) => m.id === big.id && m.collapsed === true), '1 MB folded');
  assert.ok(s);
  await stillWorks('1 MB texts');
});

test('invalid UTF-8: binary frames, and raw bytes in a text frame (the browser drops the socket)', async () => {
  fake.pushBytes([0xff, 0xfe, 0xfd, 0x00, 0x80]);
  fake.pushBytes(Buffer.concat([Buffer.from('{"type":"singleChat","data":{"id":9500,"seq":9500,"data":"'),
    Buffer.from([0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}}')]));
  // JSON escapes that are not Unicode: lone surrogates.
  fake.pushRaw(chat(msg({ id: 9501, seq: 9501 })).replace('"type":"text"', '"type":"text","data":"\\ud800\\udc00\\udc00"'));
  fake.pushRaw('{"type":"singleChat","data":{"id":9502,"seq":9502,"to_id":7,"chatType":"group","data":"\\udfff"}}');
  // Last: invalid UTF-8 inside a text frame; the browser closes the socket (1007) and the client reconnects.
  const before = fake.accepted();
  fake.pushBytes(Buffer.concat([Buffer.from('{"type":"singleChat","data":"'), Buffer.from([0xff, 0xc0, 0xaf]),
    Buffer.from('"}')]), { text: true });
  // The later message goes to the new socket: one pushed into the socket being dropped was
  // lost (the client still said online), which failed this test once on a loaded machine.
  for (const t0 = Date.now(); !(fake.accepted() > before && fake.socketCount() > 0); ) {
    assert.ok(Date.now() - t0 < 30000, 'invalid UTF-8: the client reconnects');
    await new Promise((r) => setTimeout(r, 100));
  }
  await stillWorks('invalid UTF-8', 30000);
});

test('texts built to hurt a renderer cannot take over the screen', async () => {
  // A fresh phone (the one above saw seqs near 2^63 and would sort these before them).
  const r = await phone(browser, 'zh-CN');
  await r.page.goto(`${fake.base}/?group=${fake.gid}`);
  await waitFor(r.page, inChat, 'a second phone in the chat');
  const page = r.page;
  const combining = 'a' + '\u0301'.repeat(4096);                        // 8 KB of combining marks
  const bidi = ('\u202Eabc\u202Ddef\u2067ghi\u2069').repeat(400);       // bidi overrides and isolates
  const zwj = '👨\u200D'.repeat(1000) + '👩';                             // a long ZWJ chain
  const breaks = fake.say('top\n' + '\n'.repeat(4000) + 'bottom');      // 4,000 line breaks
  const others = [combining, bidi, zwj].map((t) => fake.say(t));
  const last = fake.say('最后一条 the last one');
  await waitFor(page, shows(last.id), 'the last message arrives');
  const s = await waitFor(page, (x) => x.open.messages.some((m) => m.id === breaks.id && m.collapsed === true),
    'the 4,000-line text folded');
  // The others fold too when they wrap past two screens (the ZWJ chain and the bidi text do:
  // each emoji is a glyph); every bubble drawn is at most about two screens high.
  console.log('collapsed (combining, bidi, zwj):', others.map((m) => s.open.messages.find((x) => x.id === m.id).collapsed));
  const rects = await page.evaluate(() => window.imchat.targets().filter((t) => t.id.startsWith('msg:')));
  for (const t of rects) assert.ok(t.h <= 2 * 844, `${t.id} is ${t.h} px high`);
  // The last message is in view, under the folded one.
  // Polled: the page may still be drawing the frames that settle the scroll (a loaded CI
  // machine once read the frame before ImGui's clamp); a list that stays scrolled past its
  // end still fails.
  let rect;
  for (const start = Date.now(); ; await new Promise((x) => setTimeout(x, 100))) {
    rect = await targetRect(page, `msg:${last.id}`);
    if ((rect.y >= 48 && rect.y + rect.h <= 844) || Date.now() - start > 5000) break;
  }
  assert.ok(rect.y >= 48 && rect.y + rect.h <= 844, `the last message is on screen: ${JSON.stringify(rect)}`);
  // Responsive: frames keep coming quickly while scrolling over them.
  await page.evaluate(() => window.imchat.perf(true));
  for (let i = 0; i < 10; i++) { await page.mouse.move(195, 400); await page.mouse.wheel(0, i < 5 ? -400 : 400); await new Promise((x) => setTimeout(x, 50)); }
  const perf = await page.evaluate(() => window.imchat.perf());
  console.log('renderer-hostile scrolling', JSON.stringify(perf));
  assert.ok(perf.ui_p95_ms < 50, `UI frame p95 ${perf.ui_p95_ms} ms`);
  // Scroll back up to the folded one (its link in view) and expand it.
  const linkInView = () => page.evaluate((id) => window.imchat.targets().some((t) => t.id === id && t.y > 48 && t.y + t.h < 788),
    `expand:${breaks.id}`);
  await page.mouse.move(195, 400);
  for (let i = 0; i < 80 && !(await linkInView()); i++) {
    await page.mouse.wheel(0, -300);
    await new Promise((x) => setTimeout(x, 60));
  }
  assert.ok(await linkInView(), 'scrolled to the folded message');
  await new Promise((x) => setTimeout(x, 300));
  await page.screenshot({ path: path.join(outDir, 'hostile-renderer.png') });
  await tap(page, `expand:${breaks.id}`);
  await waitFor(page, (x) => x.open.messages.some((m) => m.id === breaks.id && m.collapsed === false), 'expanded');
  await page.screenshot({ path: path.join(outDir, 'hostile-expanded.png') });
  const t0 = Date.now();
  assert.ok(await snapshot(page));
  assert.ok(Date.now() - t0 < 2000, 'responsive with the 4,000 lines expanded');
  const after = fake.say('after the hostile texts');
  await waitFor(page, shows(after.id), 'a later message shows');
  await r.ctx.close();
});
