// Page strings from the core's one i18n table (Module._imchat_strings(): {key: text} in
// the current language). Elements name their keys in data-i18n (text) and
// data-i18n-<attribute> (placeholder, aria-label, title); the app calls
// page.stringsChanged() on start and whenever Settings changes the language.
import { json } from './bridge.js';

let strings = {};
const ATTRS = ['placeholder', 'aria-label', 'title', 'alt'];

export const t = (key) => strings[key] || '';

export function refresh() {
  strings = json(Module._imchat_strings());
  if (strings.LangTag) document.documentElement.lang = strings.LangTag;
  for (const el of document.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const a of ATTRS) {
    for (const el of document.querySelectorAll(`[data-i18n-${a}]`)) el.setAttribute(a, t(el.getAttribute(`data-i18n-${a}`)));
  }
}
