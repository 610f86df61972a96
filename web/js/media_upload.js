// Issue 13: the composer's attach ("+") menu - photo, video (pick or record), file;
// XHR for every upload the core asks for (upload.onprogress, abort; a Blob kept for a
// retry until the core drops it); a video's poster frame (seek, canvas, JPEG); the
// DOM video player over the canvas; file downloads under their own names.
import { $ } from './dom.js';
import { ready, withCString, keepBlob } from './bridge.js';
import { toast } from './dialogs.js';
import { t } from './i18n.js';

const MAX_FILE = 50 * 1024 * 1024;   // the server's file and video limits (--upload-file-mb / -video-mb)
const blobs = window.imchatBlobs;      // bridge.js keepBlob
const xhrs = new Map();               // request id -> XMLHttpRequest in flight

// ---- uploads (js_http hands every Blob body here) ----
window.imchatXhrUpload = (id, url, token, handle, keep) => {
  const body = blobs.get(handle);
  if (!keep) blobs.delete(handle);
  const x = new XMLHttpRequest();
  xhrs.set(id, x);
  let last = 0, stall;
  // No total timeout (a large file may take minutes): 30 s without a byte going up fails it.
  const watch = () => { clearTimeout(stall); stall = setTimeout(() => { x.abort(); done(0, ''); }, 30000); };
  watch();
  x.upload.onprogress = (e) => {
    watch();
    const now = performance.now();
    if (!e.lengthComputable || (now - last < 80 && e.loaded < e.total)) return;
    last = now;
    Module._imchat_upload_progress(id, e.loaded, e.total);
  };
  const done = (status, text) => {
    clearTimeout(stall);
    if (xhrs.get(id) !== x) return;   // aborted: the core forgot it
    xhrs.delete(id);
    withCString(text, (p) => Module._imchat_on_http(id, status, p));
  };
  x.onload = () => done(x.status, x.responseText || '');
  x.onerror = x.ontimeout = () => done(0, '');
  x.onabort = () => clearTimeout(stall);
  x.open('POST', url);
  if (token) x.setRequestHeader('token', token);
  x.send(body || new Blob());
};

window.imchatDropUpload = (id, blob, poster) => {
  const x = xhrs.get(id);
  xhrs.delete(id);
  if (x) x.abort();
  blobs.delete(blob);
  blobs.delete(poster);
  // A photo's preview URL: the bubble may still show it until the server's thumbnail has
  // decoded (its texture is already made), so it is let go a little later.
  const previews = window.imchatPreviews;
  const url = previews && previews.get(blob);
  if (url) { previews.delete(blob); setTimeout(() => URL.revokeObjectURL(url), 60000); }
};

// ---- picking ----

function send(kind, f, posterHandle, duration) {
  withCString(kind, (k) => withCString(f.name || '', (n) =>
    Module._imchat_upload_media(keepBlob(f), k, n, f.size, posterHandle, duration)));
}

// A frame 0.1 s in as a JPEG (at most 480 px a side), and the duration; null if the
// browser cannot play it (it is then sent as a file).
function poster(file) {
  return new Promise((resolve) => {
    const v = document.createElement('video');
    const src = URL.createObjectURL(file);
    let settled = false;
    const finish = (r) => { if (settled) return; settled = true; clearTimeout(timer); URL.revokeObjectURL(src); resolve(r); };
    const timer = setTimeout(() => finish(null), 8000);
    v.muted = true;
    v.playsInline = true;
    v.preload = 'auto';
    v.onerror = () => finish(null);
    let fixing = false;   // MediaRecorder files say Infinity until their end is sought
    v.onloadedmetadata = () => {
      if (v.duration === Infinity) { fixing = true; v.currentTime = 1e9; }
      else v.currentTime = Math.min(0.1, (v.duration || 0) / 2);
    };
    // Draws the current frame; false while the decoder has none yet (a transparent canvas).
    const grab = () => {
      const s = Math.min(1, 480 / Math.max(v.videoWidth, v.videoHeight));
      const c = document.createElement('canvas');
      c.width = Math.max(1, Math.round(v.videoWidth * s));
      c.height = Math.max(1, Math.round(v.videoHeight * s));
      const g = c.getContext('2d');
      g.drawImage(v, 0, 0, c.width, c.height);
      if (g.getImageData(c.width >> 1, c.height >> 1, 1, 1).data[3] === 0) return false;
      const d = Number.isFinite(v.duration) ? v.duration : 0;
      c.toBlob((b) => finish(b ? { blob: b, duration: d } : null), 'image/jpeg', 0.8);
      return true;
    };
    v.onseeked = () => {
      if (fixing) { fixing = false; v.currentTime = 0.1; return; }
      if (!v.videoWidth) { finish(null); return; }
      if (grab()) return;
      // No frame after the seek (seen with MediaRecorder files): play muted until one shows.
      v.onseeked = null;
      v.ontimeupdate = () => { if (grab()) { v.ontimeupdate = null; v.pause(); } };
      v.play().catch(() => finish(null));
    };
    v.src = src;
  });
}

async function picked(input, kind) {
  const f = input.files[0];
  input.value = '';
  if (!f || !ready()) return;
  if (f.size > MAX_FILE) { toast(t('FileTooLarge')); return; }
  if (kind === 'file') { send('file', f, 0, 0); return; }
  const p = await poster(f);
  if (!ready()) return;
  if (!p) toast(t('VideoUnreadable'));
  send(p ? 'video' : 'file', f, p ? keepBlob(p.blob) : 0, p ? p.duration : 0);
}

// ---- the menu ----
function closeMenu() { $('attach-menu').hidden = true; }

function openMenu() {
  const m = $('attach-menu'), r = $('attach').getBoundingClientRect();
  m.hidden = false;
  m.style.left = r.left + 'px';
  m.style.bottom = (innerHeight - r.top + 6) + 'px';
  m.querySelector('button').focus();
}

// ---- playing and downloading ----
function closePlayer() {
  const box = $('player'), v = $('player-video');
  if (box.style.display !== 'flex') return;
  v.pause();
  v.removeAttribute('src');
  v.load();
  box.style.display = 'none';
  if (history.state && history.state.imchatPlayer) history.back();
}

export function playVideo(url) {
  const box = $('player'), v = $('player-video');
  v.src = (window.IMCHAT_SERVER || '') + url;
  box.style.display = 'flex';
  history.pushState({ imchatPlayer: true }, '');   // "back" closes it
  v.play().catch(() => {});
}

export function download(url, name) {
  const a = document.createElement('a');
  a.href = (window.IMCHAT_SERVER || '') + url;
  a.download = name || '';
  document.body.appendChild(a);
  a.click();
  a.remove();
}

export function install() {
  const inputs = { video: $('file-video'), record: $('file-record'), file: $('file-any') };
  $('attach').onclick = (e) => { e.stopPropagation(); $('attach-menu').hidden ? openMenu() : closeMenu(); };
  $('attach-menu').onclick = (e) => {
    const k = e.target.dataset.pick;
    closeMenu();
    if (k === 'photo') $('file').click();
    else if (k) inputs[k].click();
  };
  inputs.video.onchange = () => picked(inputs.video, 'video');
  inputs.record.onchange = () => picked(inputs.record, 'video');
  inputs.file.onchange = () => picked(inputs.file, 'file');
  document.addEventListener('click', (e) => { if (!$('attach-menu').contains(e.target)) closeMenu(); });
  $('player-close').onclick = closePlayer;
  addEventListener('keydown', (e) => { if (e.key === 'Escape') { closePlayer(); closeMenu(); } });
  addEventListener('popstate', () => {
    if ($('player').style.display === 'flex') { history.replaceState(null, ''); closePlayer(); }
  });
}
