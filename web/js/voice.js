// Voice messages (issue 13), WeChat-like. The mic button beside the composer swaps the text
// field for a "按住 说话 / Hold to talk" bar: press to record (MediaRecorder, in whatever the
// browser records: WebM/Opus on Chromium, MP4/AAC on Safari), slide up to cancel, release to
// send; at 60 s it sends by itself; under 1 s nothing is sent. The recording goes to the core
// as uploads.js hands it images (window.imchatBlobs + Module._imchat_upload_voice(handle,
// seconds)): the core uploads it with the session's token and sends type `audio` with
// options {duration}. Playback: one <audio> element (#voice-audio), one message at a time;
// it tells the core what plays (Module._imchat_voice_state), which marks it played.
import { $ } from './dom.js';
import { page, ready, keepBlob } from './bridge.js';
import { toast } from './dialogs.js';
import { t } from './i18n.js';

const MAX_MS = 60000, MIN_MS = 1000, CANCEL_PX = 60;
// What to ask MediaRecorder for, best first; the first the browser supports wins.
const TYPES = ['audio/webm;codecs=opus', 'audio/webm', 'audio/mp4;codecs=mp4a.40.2', 'audio/mp4', 'audio/ogg;codecs=opus'];
// A WAV with no samples: played once inside a tap, it unlocks the element on iOS, which
// otherwise refuses play() outside a gesture (our taps reach the app a frame later).
const SILENT = 'data:audio/wav;base64,UklGRiQAAABXQVZFZm10IBAAAAABAAEAQB8AAEAfAAABAAgAZGF0YQAAAAA=';
const MIC = '<svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><rect x="9" y="2" width="6" height="12" rx="3"/><path d="M5 11a7 7 0 0 0 14 0M12 18v4"/></svg>';
const KEYS = '<svg width="20" height="20" viewBox="0 0 24 24" fill="none" stroke="currentColor" stroke-width="2"><rect x="2" y="6" width="20" height="12" rx="2"/><path d="M6 10h1M10 10h1M14 10h1M18 10h1M7 14h10"/></svg>';

let rec = null;         // the recording in progress: {recorder, stream, chunks, t0, y0, cancel, timer, done}

export function pickType() {
  if (!window.MediaRecorder || !MediaRecorder.isTypeSupported) return '';
  return TYPES.find((m) => MediaRecorder.isTypeSupported(m)) || '';
}

function setMode(voice) {
  $('composer').style.display = voice ? 'none' : '';
  $('send').style.display = voice ? 'none' : '';
  $('talk').style.display = voice ? 'block' : 'none';
  const b = $('voice-toggle');
  b.innerHTML = voice ? KEYS : MIC;
  b.setAttribute('aria-label', t(voice ? 'KeyboardMode' : 'VoiceMode'));
  b.dataset.i18nAriaLabel = voice ? 'KeyboardMode' : 'VoiceMode';
  page.voiceMode = voice;
}

function tip() {
  const el = $('voice-tip');
  if (!rec) { el.style.display = 'none'; $('talk').classList.remove('on'); return; }
  const ms = Date.now() - rec.t0, left = Math.ceil((MAX_MS - ms) / 1000);
  el.style.display = 'flex';
  el.classList.toggle('cancel', rec.cancel);
  $('voice-tip-time').textContent = left <= 10 ? left + '"' : Math.floor(ms / 1000) + '"';
  $('voice-tip-hint').textContent = t(rec.cancel ? 'VoiceReleaseCancel' : 'VoiceSlideCancel');
  $('talk').classList.add('on');
  $('talk').textContent = t(rec.cancel ? 'VoiceReleaseCancel' : 'VoiceRelease');
}

function stopTracks(r) { if (r.stream) for (const tr of r.stream.getTracks()) tr.stop(); }

// Ends the recording: send (unless cancelled or too short) once the recorder has flushed.
function finish(send, why) {
  const r = rec;
  if (!r) return;
  rec = null;
  clearInterval(r.timer);
  $('talk').textContent = t('VoiceHold');
  tip();
  const ms = Date.now() - r.t0;
  r.done = (blob) => {
    stopTracks(r);
    if (!send || r.cancel) return;
    if (ms < MIN_MS || !blob || !blob.size) { toast(t('VoiceTooShort')); return; }
    if (why) toast(t(why));
    if (!ready()) return;
    const h = keepBlob(blob);
    Module._imchat_upload_voice(h, Math.min(60, Math.max(1, Math.round(ms / 1000))));
  };
  if (r.recorder && r.recorder.state !== 'inactive') r.recorder.stop();   // onstop calls done
  else r.done(null);
}

async function press(e) {
  e.preventDefault();
  if (rec || !ready()) return;
  try { $('talk').setPointerCapture(e.pointerId); } catch (_) { /* synthetic pointers */ }
  const r = rec = { chunks: [], t0: Date.now(), y0: e.clientY, cancel: false, recorder: null, stream: null };
  r.timer = setInterval(() => {
    if (rec !== r) return;
    if (Date.now() - r.t0 >= MAX_MS) finish(true, 'VoiceMaxReached');
    else tip();
  }, 200);
  tip();
  try {
    if (!navigator.mediaDevices || !window.MediaRecorder) throw new Error('no MediaRecorder');   // http: not a secure context
    const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
    r.stream = stream;
    if (rec !== r) { stopTracks(r); return; }   // released while the browser asked (finish said so)
    const type = pickType();
    const recorder = new MediaRecorder(stream, type ? { mimeType: type } : undefined);
    r.recorder = recorder;
    page.voiceType = recorder.mimeType || type;   // what this browser records (tests read it)
    recorder.ondataavailable = (ev) => { if (ev.data && ev.data.size) r.chunks.push(ev.data); };
    recorder.onstop = () => r.done && r.done(new Blob(r.chunks, { type: recorder.mimeType || type }));
    recorder.start();
    r.t0 = Date.now();   // the length counts from when the microphone really records
  } catch (err) {
    console.warn('voice: cannot record', err);
    if (rec === r) { rec = null; clearInterval(r.timer); tip(); $('talk').textContent = t('VoiceHold'); }
    stopTracks(r);
    toast(t('VoiceNoMic'));
  }
}

function move(e) {
  if (!rec) return;
  const cancel = rec.y0 - e.clientY > CANCEL_PX;
  if (cancel !== rec.cancel) { rec.cancel = cancel; tip(); }
}

// ---- playback ----
// current: the message asked to play; live: the one the element reported playing (the core
// was told). A switch tells the core at once, so the old source's late 'pause' says nothing.
let audio = null, current = 0, live = 0;

function state(id, playing) { if (id && ready()) Module._imchat_voice_state(id, playing ? 1 : 0); }

export function playVoice(id, url) {
  const el = audio;
  if (current === id && !el.paused) { el.pause(); return; }   // a second tap stops it
  if (live) { state(live, false); live = 0; }
  el.pause();
  current = id;
  el.src = (window.IMCHAT_SERVER || '') + url;
  el.play().catch((err) => {
    console.warn('voice: cannot play', err);
    if (current === id) { current = 0; state(id, false); }
  });
}

function unlock() {
  if (current || !audio) return;
  audio.src = SILENT;
  audio.play().catch(() => {});
}

export function install() {
  const box = $('composer-box');
  const toggle = document.createElement('button');
  toggle.id = 'voice-toggle';
  toggle.type = 'button';
  box.insertBefore(toggle, box.firstChild);
  const talk = document.createElement('button');
  talk.id = 'talk';
  talk.type = 'button';
  talk.dataset.i18n = 'VoiceHold';
  box.insertBefore(talk, $('send'));
  const tipEl = document.createElement('div');
  tipEl.id = 'voice-tip';
  tipEl.setAttribute('role', 'status');
  tipEl.innerHTML = MIC.replace(/20/g, '48') + '<div id="voice-tip-time"></div><div id="voice-tip-hint"></div>';
  document.body.appendChild(tipEl);
  audio = document.createElement('audio');
  audio.id = 'voice-audio';
  audio.preload = 'none';
  document.body.appendChild(audio);

  setMode(false);
  toggle.addEventListener('click', () => { setMode(!page.voiceMode); if (!page.voiceMode) $('composer').focus(); });
  talk.addEventListener('pointerdown', press);
  talk.addEventListener('pointermove', move);
  talk.addEventListener('pointerup', () => finish(true));
  talk.addEventListener('pointercancel', () => finish(false));
  talk.addEventListener('contextmenu', (e) => e.preventDefault());   // a long press is ours
  audio.addEventListener('playing', () => { if (current) { live = current; state(live, true); } });
  for (const ev of ['pause', 'ended', 'error']) {
    audio.addEventListener(ev, () => {
      if (!live) return;
      if (current === live) current = 0;
      state(live, false);
      live = 0;
    });
  }
  $('canvas').addEventListener('touchend', unlock, { once: true, passive: true });
}
