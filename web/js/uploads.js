// Images: "+" picks or photographs one; the core shows it at once as a pending bubble
// (from an object URL of the File), uploads it with the session's token, and sends the
// image message. window.imchatBlobs maps a handle to the File until the core drops it
// (sent, refused or cancelled: media_upload.js imchatDropUpload, which also revokes the URL).
import { $ } from './dom.js';
import { ready, withCString, keepBlob } from './bridge.js';
import { toast } from './dialogs.js';
import { t } from './i18n.js';

const MAX_BYTES = 5 * 1024 * 1024;   // the server's limit: refuse before uploading

function picked() {
  const input = $('file');
  const f = input.files[0];
  input.value = '';
  if (!f || !ready()) return;
  if (f.size > MAX_BYTES) { toast(t('ImageTooLarge')); return; }
  const h = keepBlob(f);
  const preview = URL.createObjectURL(f);
  (window.imchatPreviews = window.imchatPreviews || new Map()).set(h, preview);
  withCString(preview, (p) => Module._imchat_upload_image(h, p));
}

// The "+" opens the attach menu (media_upload.js); its Photo item clicks #file.
export function install() {
  $('file').addEventListener('change', picked);
}
