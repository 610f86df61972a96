// Loading: the progress bar, the WASM download and instantiation, and fatal errors on
// the loading screen.
import { $ } from './dom.js';
import { page } from './bridge.js';
import * as fonts from './fonts.js';

// Until the core runs, its strings do not exist: this one line is the only text the
// page picks by itself, and the core's PageLoading replaces it once it is up.
const BOOT_LOADING = (navigator.language || '').toLowerCase().startsWith('zh') ? 'imchat 加载中…' : 'imchat loading…';

export function fatal(text) {
  $('loading').style.display = 'flex';
  $('loading-text').textContent = text;
  $('loading').querySelector('.bar').style.display = 'none';
}

// Started when this module runs, in parallel with app.js, not after it.
let wasm = null;

// Emscripten's hook: reads app.wasm with a real progress bar (decoded bytes against
// X-Decoded-Length or Content-Length; an unknown total keeps the bar indeterminate).
function instantiateWasm(imports, done) {
  const bar = $('loading').querySelector('.bar'), fill = bar.querySelector('i');
  (wasm || fetch('app.wasm')).then(async (res) => {
    if (!res.ok) throw new Error('app.wasm: HTTP ' + res.status);
    const total = Number(res.headers.get('X-Decoded-Length') ||
      (res.headers.get('Content-Encoding') ? 0 : res.headers.get('Content-Length'))) || 0;
    const reader = res.body.getReader();
    const parts = [];
    let got = 0;
    if (total) bar.classList.add('known');
    for (;;) {
      const { done: end, value } = await reader.read();
      if (end) break;
      parts.push(value);
      got += value.length;
      if (total) fill.style.width = Math.min(100, Math.round(got * 100 / total)) + '%';
    }
    const bytes = new Uint8Array(got);
    let at = 0;
    for (const p of parts) { bytes.set(p, at); at += p.length; }
    const { instance, module } = await WebAssembly.instantiate(bytes, imports);
    done(instance, module);
  }).catch((e) => fatal('imchat failed to load: ' + e.message));
  return {};
}

// The first frame is drawn: exports may be called from now on. A fallback font (only
// without system CJK fonts) comes after it, so the page shows at once.
export function firstFrame() {
  page.ready = true;
  page.firstFrameAt = performance.now();
  $('loading').style.display = 'none';
  fonts.afterFirstFrame();
}

// Must run before app.js: Emscripten reads window.Module when it starts.
export function install() {
  $('loading-text').textContent = BOOT_LOADING;
  if (typeof WebAssembly !== 'object') { fatal('This browser cannot run WebAssembly.'); return; }
  wasm = fetch('app.wasm');
  wasm.catch(() => {});   // reported by instantiateWasm
  window.Module = {
    canvas: $('canvas'),
    instantiateWasm,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
    onAbort: (what) => fatal('imchat failed to start: ' + what),
  };
}
