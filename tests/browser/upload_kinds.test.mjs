// Uploads judged by content (issue 13), with what Chromium's MediaRecorder really writes: a
// voice note (WebM/Opus, audio only) is audio, a camera clip (WebM with video) is video, and
// the same for MP4 where Chromium records it. Posted as the page's FormData. No site needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, deviceId } from '../lib/server.mjs';
import { launch } from '../lib/browser.mjs';

let server, browser;
before(async () => { server = await startServer(); browser = await launch(); });
after(async () => { await browser?.close(); await server?.stop(); });

test('MediaRecorder output: audio-only recordings are audio, recordings with video are video', { timeout: 60000 }, async () => {
  const reg = await api(server.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(1313) } });
  const token = reg.json.data.token;
  const page = await browser.newPage();
  await page.goto(server.base + '/healthz');
  const results = await page.evaluate(async ({ token }) => {
    const record = (stream, mimeType) => new Promise((resolve) => {
      const r = new MediaRecorder(stream, { mimeType });
      const chunks = [];
      r.ondataavailable = (e) => chunks.push(e.data);
      r.onstop = () => resolve(new Blob(chunks, { type: r.mimeType }));
      r.start();
      setTimeout(() => r.stop(), 800);
    });
    const ac = new AudioContext();
    const osc = ac.createOscillator();
    const dest = ac.createMediaStreamDestination();
    osc.connect(dest);
    osc.start();
    const canvas = Object.assign(document.createElement('canvas'), { width: 64, height: 64 });
    const ctx = canvas.getContext('2d');
    const paint = setInterval(() => { ctx.fillStyle = `hsl(${Date.now() % 360},50%,50%)`; ctx.fillRect(0, 0, 64, 64); }, 30);
    const video = canvas.captureStream(30);
    const both = new MediaStream([...video.getVideoTracks(), ...dest.stream.getAudioTracks()]);
    const out = [];
    for (const [mime, stream, want] of [['audio/webm;codecs=opus', dest.stream, 'audio'], ['video/webm', both, 'video'],
      ['video/webm', video, 'video'], ['audio/mp4', dest.stream, 'audio'], ['video/mp4', both, 'video']]) {
      if (!MediaRecorder.isTypeSupported(mime)) continue;
      const blob = await record(stream, mime);
      const fd = new FormData();
      fd.append('file', blob, 'recording');   // no telling name: the bytes decide
      const res = await fetch('/api/chat/upload', { method: 'POST', headers: { token }, body: fd });
      const j = await res.json();
      out.push({ mime: blob.type, want, status: res.status, kind: j.data?.kind, type: j.data?.type });
    }
    clearInterval(paint);
    return out;
  }, { token });
  assert.ok(results.length >= 3, JSON.stringify(results));
  for (const r of results) {
    assert.equal(r.status, 200, JSON.stringify(r));
    assert.equal(r.kind, r.want, JSON.stringify(r));
  }
  assert.ok(results.some((r) => r.type === 'weba'), 'a WebM voice note is stored as audio/webm');
});
