// The emoji panel (issue 13): the smiley button by the composer opens a grid of common
// emoji (inserted at #composer's caret) and a stickers tab (each sends a sticker message:
// type emoticon, data = its key). Like WeChat on a phone the panel takes the keyboard's
// place: opening it closes the keyboard, tapping the text field closes it and brings the
// keyboard back; choosing an emoji never opens the keyboard. The canvas shrinks by the
// panel's height, so the chat and the composer stay in view above it.
import { $ } from './dom.js';
import { ready, withCString } from './bridge.js';

// Single-codepoint emoji (no VS16, no ZWJ): the app draws text one codepoint at a time.
export const EMOJI = Array.from('😀😃😄😁😆😅😂🤣😊😇🙂😉😌😍🥰😘😋😜🤪😎🤩🥳😏😒😔😟😕😣😫😩🥺😢😭😤😠😡🤯😳😱😨🤔🤭🤫😐😑😬🙄😴😷👍👎👌👏🙏💪🤝👋🎉🎂🌹🔥💯💖💔⭐☕🍺🧧💰');
// The core's sticker set (src/core/sticker.cpp; a core test checks the two agree).
export const STICKERS = [
  ['smile', '😀'], ['laugh', '😂'], ['love', '😍'], ['wink', '😉'], ['cool', '😎'], ['cry', '😭'],
  ['angry', '😠'], ['shock', '😱'], ['think', '🤔'], ['sleepy', '😴'], ['party', '🎉'], ['thumbs_up', '👍'],
  ['ok', '👌'], ['clap', '👏'], ['heart', '💖'], ['rose', '🌹'], ['coffee', '☕'], ['fire', '🔥'],
  ['pray', '🙏'], ['bye', '👋'],
];

const PANEL_H = 260;   // CSS px, about a phone keyboard's height
let open = false, tab = 'emoji';
const touch = () => window.matchMedia && matchMedia('(pointer: coarse)').matches;

// Inserts at the caret (or over the selection) without focusing: no keyboard pops up.
export function insertAtCaret(el, text) {
  const a = el.selectionStart ?? el.value.length, b = el.selectionEnd ?? a;
  el.setRangeText(text, a, b, 'end');
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

// Deletes the character (a whole emoji: one codepoint, surrogate pair included) before the caret.
function backspace(el) {
  const a = el.selectionStart, b = el.selectionEnd;
  if (a !== b) { el.setRangeText('', a, b, 'end'); return; }
  if (a === 0) return;
  const before = Array.from(el.value.slice(0, a));
  const n = before.length ? before[before.length - 1].length : 1;
  el.setRangeText('', a - n, a, 'end');
  el.dispatchEvent(new Event('input', { bubbles: true }));
}

function sendSticker(key) {
  if (ready() && Module._imchat_send_sticker) withCString(key, (p) => Module._imchat_send_sticker(p));
}

function cell(label, title, onTap, cls) {
  const b = document.createElement('button');
  b.type = 'button';
  b.className = cls;
  b.textContent = label;
  if (title) { b.title = title; b.dataset.key = title; }
  // pointerdown + preventDefault: the text field keeps its focus (and a desktop its caret).
  b.addEventListener('pointerdown', (e) => { e.preventDefault(); onTap(); });
  b.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onTap(); } });
  return b;
}

function fill() {
  const grid = $('emoji-grid'), composer = $('composer');
  grid.textContent = '';
  grid.className = tab === 'emoji' ? 'emoji' : 'stickers';
  if (tab === 'emoji') {
    for (const e of EMOJI) grid.appendChild(cell(e, '', () => insertAtCaret(composer, e), 'em'));
    grid.appendChild(cell('⌫', 'backspace', () => backspace(composer), 'em del'));
  } else {
    for (const [key, e] of STICKERS) grid.appendChild(cell(e, key, () => sendSticker(key), 'st'));
  }
  $('emoji-tab-emoji').setAttribute('aria-selected', tab === 'emoji');
  $('emoji-tab-stickers').setAttribute('aria-selected', tab === 'stickers');
}

// The canvas ends above the panel (or at the viewport's bottom when it is closed).
function layout() {
  const navH = parseFloat(getComputedStyle(document.documentElement).getPropertyValue('--nav-h')) || 0;
  const vh = window.visualViewport ? window.visualViewport.height : window.innerHeight;
  $('canvas').style.height = open ? Math.round(vh - navH - PANEL_H) + 'px' : '';
  $('emoji-panel').style.display = open ? 'flex' : 'none';
  $('emoji-btn').setAttribute('aria-expanded', open);
  if (ready()) Module._imchat_resize();
}

export function setOpen(on) {
  if (on === open) return;
  open = on;
  if (open) {
    fill();
    if (touch()) $('composer').blur();   // the panel takes the keyboard's place
  }
  layout();
}

export const isOpen = () => open;

// The composer was placed (or hidden: leaving the chat closes the panel).
export function composerShown(visible) { if (!visible && open) setOpen(false); }

export function install() {
  const btn = $('emoji-btn');
  // pointerdown keeps the text field's focus; the toggle waits for the click, so the click a
  // tap ends with cannot land on the panel that opened under the finger.
  btn.addEventListener('pointerdown', (e) => e.preventDefault());
  btn.addEventListener('click', () => setOpen(!open));
  $('emoji-tab-emoji').addEventListener('click', () => { tab = 'emoji'; fill(); });
  $('emoji-tab-stickers').addEventListener('click', () => { tab = 'stickers'; fill(); });
  // Tapping the text field on a phone: the keyboard comes back, the panel goes.
  $('composer').addEventListener('focus', () => { if (open && touch()) setOpen(false); });
  document.addEventListener('keydown', (e) => { if (e.key === 'Escape' && open) setOpen(false); });
  // viewport.js sizes the canvas to the visual viewport: keep the panel's share after it.
  if (window.visualViewport) visualViewport.addEventListener('resize', () => { if (open) setTimeout(layout, 0); });
}
