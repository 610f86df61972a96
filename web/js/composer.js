// The composer: a real <textarea> over the rectangle ImGui reserves, so phone keyboards,
// IMEs (preedit included), voice input, paste and emoji work. Enter sends unless an IME
// is composing; Shift+Enter is a line break; the green button sends on phones.
import { $, placeOverCanvas } from './dom.js';
import { ready, withCString } from './bridge.js';

export function placeComposer(x, y, w, h, visible) {
  const box = $('composer-box');
  placeOverCanvas(box, x, y, w, visible, 'flex');
  box.style.minHeight = h + 'px';
}

function send() {
  const composer = $('composer');
  const text = composer.value;
  if (!text.trim() || !ready()) return;
  withCString(text, (p) => Module._imchat_send(p));
  composer.value = '';
}

export function install() {
  $('composer').addEventListener('keydown', (e) => {
    // Chinese IMEs confirm a candidate with Enter: isComposing, and keyCode 229 for
    // Safari, which fires keydown after compositionend.
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing && e.keyCode !== 229) {
      e.preventDefault();
      send();
    }
  });
  const btn = $('send');
  // pointerdown + preventDefault keeps the phone keyboard open after sending.
  btn.addEventListener('pointerdown', (e) => { e.preventDefault(); send(); });
  btn.addEventListener('keydown', (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); send(); } });
}
