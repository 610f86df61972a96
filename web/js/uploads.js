// Images: "+" picks or photographs one; the core uploads it (with the session's token)
// and sends the image message. The page only keeps the picked File for the core's
// fetch: window.imchatBlobs maps a handle to it until the request takes it.
import { $ } from './dom.js';
import { ready } from './bridge.js';
import { toast } from './dialogs.js';
import { t } from './i18n.js';

const MAX_BYTES = 5 * 1024 * 1024;   // the server's limit: refuse before uploading
const blobs = (window.imchatBlobs = new Map());
let nextHandle = 1;

function picked() {
  const input = $('file');
  const f = input.files[0];
  input.value = '';
  if (!f || !ready()) return;
  if (f.size > MAX_BYTES) { toast(t('ImageTooLarge')); return; }
  const h = nextHandle++;
  blobs.set(h, f);
  Module._imchat_upload_image(h);
}

// The "+" opens the attach menu (media_upload.js); its Photo item clicks #file.
export function install() {
  $('file').addEventListener('change', picked);
}
