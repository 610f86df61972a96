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

// Served names of the site's files (content-hashed, set by index.html at build time).
export const assets = Object.assign({ wasm: 'app.wasm', font: 'fonts/ui.ttf' }, window.IMCHAT_ASSETS);

// Started when this module runs, in parallel with app.js, not after it.
let wasm = null;

async function instantiateBuffered(imports) {
  const res = await fetch(assets.wasm);   // immutable: from the HTTP cache after a first try
  if (!res.ok) throw new Error(assets.wasm + ': HTTP ' + res.status);
  return WebAssembly.instantiate(await res.arrayBuffer(), imports);
}

// Emscripten's hook: compiles app.wasm while it downloads (instantiateStreaming), with a
// real progress bar: the body goes through a TransformStream that counts decoded bytes
// against X-Decoded-Length or Content-Length (an unknown total keeps the bar
// indeterminate), into a Response typed application/wasm. If the browser refuses to
// stream, the bytes are fetched again (the HTTP cache has them) and instantiated whole.
// page.wasmLoad tells which path ran ('streaming' or 'buffered').
function instantiateWasm(imports, done) {
  const bar = $('loading').querySelector('.bar'), fill = bar.querySelector('i');
  (wasm || fetch(assets.wasm)).then(async (res) => {
    if (!res.ok) throw new Error(assets.wasm + ': HTTP ' + res.status);
    const total = Number(res.headers.get('X-Decoded-Length') ||
      (res.headers.get('Content-Encoding') ? 0 : res.headers.get('Content-Length'))) || 0;
    if (total) bar.classList.add('known');
    let got = 0;
    const counted = res.body.pipeThrough(new TransformStream({
      transform(chunk, out) {
        got += chunk.length;
        if (total) fill.style.width = Math.min(100, Math.round(got * 100 / total)) + '%';
        out.enqueue(chunk);
      },
    }));
    let result;
    if (typeof WebAssembly.instantiateStreaming === 'function') {
      try {
        result = await WebAssembly.instantiateStreaming(
          new Response(counted, { headers: { 'Content-Type': 'application/wasm' } }), imports);
        page.wasmLoad = 'streaming';
      } catch (e) {
        if (e instanceof WebAssembly.LinkError) throw e;   // the same bytes would fail again
        console.warn('streaming instantiation refused, instantiating from a buffer', e);
      }
    } else {
      counted.cancel();
    }
    if (!result) {
      result = await instantiateBuffered(imports);
      page.wasmLoad = 'buffered';
    }
    done(result.instance, result.module);
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
  wasm = fetch(assets.wasm);
  wasm.catch(() => {});   // reported by instantiateWasm
  window.Module = {
    canvas: $('canvas'),
    instantiateWasm,
    print: (t) => console.log(t),
    printErr: (t) => console.warn(t),
    onAbort: (what) => fatal('imchat failed to start: ' + what),
  };
}
