// Dialogs: the prompt (a real text field for every input but the composer and the
// login form), the login form, the full-size image viewer and the toast.
import { $, placeOverCanvas } from './dom.js';
import { ready, withCString } from './bridge.js';

let promptKey = '';   // which field the UI asked for, echoed back with the text

export function prompt(key, title, initial, maxChars) {
  promptKey = key;
  $('prompt-title').textContent = title;
  const input = $('prompt-input');
  input.value = initial;
  input.maxLength = maxChars;
  $('prompt-box').style.display = 'flex';
  input.focus();
}

function closePrompt() {
  $('prompt-box').style.display = 'none';
  promptKey = '';
}

export function placeLogin(x, y, w, h, visible) {
  placeOverCanvas($('login-box'), x, y, w, visible, 'flex');
  if (!visible) $('login-password').value = '';
}

function login(create) {
  if (!ready()) return;
  const u = $('login-username').value.trim(), p = $('login-password').value;
  withCString(u, (up) => withCString(p, (pp) => Module._imchat_login(up, pp, create ? 1 : 0)));
}

export function openImage(url) {
  $('viewer-img').src = (window.IMCHAT_SERVER || '') + url;
  $('viewer').style.display = 'flex';
}

export function toast(text) {
  const el = $('toast');
  el.textContent = text;
  el.style.display = 'block';
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => { el.style.display = 'none'; }, 3000);
}

export function install() {
  $('prompt-cancel').addEventListener('click', closePrompt);
  $('prompt-box').querySelector('form').addEventListener('submit', () => {
    const key = promptKey, text = $('prompt-input').value;
    closePrompt();
    withCString(key, (kp) => withCString(text, (tp) => Module._imchat_prompt(kp, tp)));
  });
  $('login-box').addEventListener('submit', () => login(false));
  $('signup-submit').addEventListener('click', () => login(true));
  $('viewer').addEventListener('click', () => { $('viewer').style.display = 'none'; });
}
