// Fonts: the UI's text is drawn with the phone's own fonts (PingFang, Noto Sans CJK,
// HarmonyOS Sans, ... and its colour emoji) through Canvas2D into the WASM app's glyph
// atlas, so a phone downloads no font. Only a browser without a usable CJK font gets the
// site's CJK subset font, fetched after the first frame.
//
// window.imchatFonts (read by the app's EM_JS imports, js_imports.cpp):
//   systemCjk          true when the system draws hanzi (detected once, at start)
//   draw(cps, px)      rasterises codepoints at px device pixels (see drawGlyphs)
import { page } from './bridge.js';

// The system UI font first, then the CJK faces phones and desktops ship, then colour emoji.
export const STACK = 'system-ui, -apple-system, "PingFang SC", "Hiragino Sans GB", "HarmonyOS Sans SC", ' +
  '"MiSans", "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "WenQuanYi Micro Hei", sans-serif, ' +
  '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji"';

let scratch = null;
function context(w, h) {
  scratch = scratch || document.createElement('canvas');
  if (scratch.width !== w || scratch.height !== h) { scratch.width = w; scratch.height = h; }
  return scratch.getContext('2d', { willReadFrequently: true });
}

// Does the system draw hanzi? Two different hanzi must leave different ink, and neither may
// look like the missing-glyph box (a private-use codepoint no font has).
function detectCjk() {
  try {
    const g = context(40, 40);
    g.font = `32px ${STACK}`;
    g.fillStyle = '#000';
    const ink = (ch) => {
      g.clearRect(0, 0, 40, 40);
      g.fillText(ch, 2, 32);
      const d = g.getImageData(0, 0, 40, 40).data;
      let n = 0;
      for (let i = 3; i < d.length; i += 4) if (d[i]) n++;
      return { n, key: d.join(',') };
    };
    const a = ink('你'), b = ink('字'), box = ink('\u{10FFFD}');
    return a.n > 30 && b.n > 30 && a.key !== b.key && a.key !== box.key && b.key !== box.key;
  } catch (e) {
    return false;
  }
}

// Rasterises `cps` (codepoints) at `px` device pixels into cells on one canvas, read back
// with a single getImageData. Each glyph: {adv, offx, offy, w, h, colored} (device pixels,
// offsets from the pen and the top of a px-high line) and its pixels (RGBA if colored,
// else alpha). The baseline sits where the first font's ascent puts it, as ImGui lays out.
// Emoji codepoints are drawn with the colour emoji fonts first: a desktop's UI font (DejaVu
// Sans, Segoe UI Symbol) may have a monochrome outline of them, which a phone's does not.
const PICTO = /\p{Emoji_Presentation}/u;   // default emoji presentation: not ™ or ↔
const EMOJI_FIRST = '"Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji", ';

export function drawGlyphs(cps, px) {
  const font = `${px}px ${STACK}`, emojiFont = `${px}px ${EMOJI_FIRST}${STACK}`;
  const fontOf = (cp) => (cp > 0xff && PICTO.test(String.fromCodePoint(cp)) ? emojiFont : font);
  let g = context(1, 1);
  g.font = font;
  const fm = g.measureText('Hg');
  const asc = fm.fontBoundingBoxAscent || px * 0.8, desc = fm.fontBoundingBoxDescent || px * 0.2;
  const baseline = Math.round(px * asc / (asc + desc));
  const pad = Math.ceil(px * 0.25), cellH = Math.ceil(px) + 2 * pad;
  const maxW = 2048;
  const glyphs = [];
  let x = 0, y = 0;
  for (const cp of cps) {
    g.font = fontOf(cp);
    const m = g.measureText(String.fromCodePoint(cp));
    const adv = Math.round(m.width);
    const left = Math.max(0, Math.ceil(m.actualBoundingBoxLeft || 0));
    const right = Math.max(adv, Math.ceil(m.actualBoundingBoxRight || 0));
    const w = Math.max(1, Math.min(left + right, maxW));
    if (x + w > maxW) { x = 0; y += cellH; }
    glyphs.push({ cp, adv, offx: -left, offy: -pad, w, h: cellH, colored: false, x, y, left });
    x += w + 1;
  }
  const width = Math.max(1, Math.min(maxW, glyphs.reduce((n, q) => Math.max(n, q.x + q.w), 1)));
  const height = y + cellH;
  g = context(width, height);   // resizing resets the state: set it after
  g.clearRect(0, 0, width, height);
  g.font = font;
  g.fillStyle = '#fff';
  g.textBaseline = 'alphabetic';
  for (const q of glyphs) {
    g.font = fontOf(q.cp);
    g.fillText(String.fromCodePoint(q.cp), q.x + q.left, q.y + pad + baseline);
  }
  const all = g.getImageData(0, 0, width, height).data;
  const data = glyphs.map((q) => {
    // Drawn in white: any ink that is not white is the font's own colour (emoji).
    for (let r = 0; r < q.h && !q.colored; r++)
      for (let c = 0; c < q.w; c++) {
        const i = ((q.y + r) * width + q.x + c) * 4;
        if (all[i + 3] > 32 && (Math.max(all[i], all[i + 1], all[i + 2]) < 200 ||
            Math.max(all[i], all[i + 1], all[i + 2]) - Math.min(all[i], all[i + 1], all[i + 2]) > 24)) {
          q.colored = true;
          break;
        }
      }
    const out = new Uint8Array(q.w * q.h * (q.colored ? 4 : 1));
    for (let r = 0; r < q.h; r++) {
      const row = ((q.y + r) * width + q.x) * 4;
      if (q.colored) out.set(all.subarray(row, row + q.w * 4), r * q.w * 4);
      else for (let c = 0; c < q.w; c++) out[r * q.w + c] = all[row + c * 4 + 3];
    }
    return out;
  });
  return { glyphs, data };
}

// Only without system CJK fonts: the site's subset font, after the first frame.
export function afterFirstFrame() {
  if (window.imchatFonts.systemCjk) return;
  const url = (window.IMCHAT_ASSETS && window.IMCHAT_ASSETS.font) || 'fonts/ui.ttf';
  page.fontRequested = url;
  fetch(url).then((r) => (r.ok ? r.arrayBuffer() : Promise.reject(r.status))).then((buf) => {
    const bytes = new Uint8Array(buf), p = Module._malloc(bytes.length);
    Module.HEAPU8.set(bytes, p);
    Module._imchat_font_loaded(p, bytes.length);   // takes ownership of p
    // The page's own fields (composer, dialogs) draw hanzi with it too: the CSS stack ends in it.
    if (window.FontFace && document.fonts) document.fonts.add(new FontFace('imchat-cjk', buf));
  }).catch((e) => console.warn('font not loaded', e));
}

export function install() {
  window.imchatFonts = { systemCjk: detectCjk(), draw: drawGlyphs };
}
