// Settings' "set avatar": the UI asks (imchatPage.pickAvatar); we open an image picker,
// crop the centred square to 256x256 JPEG with a canvas, and hand it to the core
// (window.imchatBlobs, as uploads.js does), which uploads it and sets it with
// updateUserinfo {avatar}.
import { ready, keepBlob } from './bridge.js';
import { toast } from './dialogs.js';
import { t } from './i18n.js';

const SIDE = 256;
let input = null;

async function crop(file) {
  const bmp = await createImageBitmap(file);
  const s = Math.min(bmp.width, bmp.height);
  const c = document.createElement('canvas');
  c.width = SIDE; c.height = SIDE;
  c.getContext('2d').drawImage(bmp, (bmp.width - s) / 2, (bmp.height - s) / 2, s, s, 0, 0, SIDE, SIDE);
  bmp.close();
  return new Promise((resolve, reject) =>
    c.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob'))), 'image/jpeg', 0.86));
}

async function picked() {
  const f = input.files[0];
  input.value = '';
  if (!f || !ready()) return;
  try {
    const blob = await crop(f);
    Module._imchat_upload_avatar(keepBlob(blob));
  } catch (e) {
    toast(t('UploadFailed'));
  }
}

export function pickAvatar() { if (input) input.click(); }

export function install() {
  input = document.createElement('input');
  input.type = 'file';
  input.id = 'avatar-file';
  input.accept = 'image/png,image/jpeg,image/gif,image/webp';
  input.hidden = true;
  input.addEventListener('change', picked);
  document.body.appendChild(input);
}
