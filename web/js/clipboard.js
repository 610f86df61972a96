// Clipboard: the async API needs a secure context, and a page opened on a LAN http
// address is not one, so fall back to a selected textarea and execCommand.
import { page } from './bridge.js';

export function copy(text) {
  const fallback = () => {
    const el = document.createElement('textarea');
    el.value = text;
    el.style.position = 'fixed';
    el.style.opacity = '0';
    document.body.appendChild(el);
    el.select();
    try { document.execCommand('copy'); } catch (e) { /* nothing else to try */ }
    el.remove();
  };
  if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).catch(fallback);
  else fallback();
  page.lastCopied = text;
}
