// Screen readers: the canvas is hidden from them, so new messages are mirrored into a
// polite aria-live log, capped so it does not grow without bound.
import { $ } from './dom.js';

const KEEP = 20;

export function announce(text) {
  const log = $('sr-log');
  const d = document.createElement('div');
  d.textContent = text;
  log.appendChild(d);
  while (log.childNodes.length > KEEP) log.removeChild(log.firstChild);
}
