// The page's entry module: fills window.imchatPage (what main_web's EM_JS imports call)
// and installs each concern. It runs before app.js (document order), which reads
// window.Module as it starts.
import { page } from './bridge.js';
import * as fonts from './fonts.js';
import * as loading from './loading.js';
import * as composer from './composer.js';
import * as emoji from './emoji.js';
import * as dialogs from './dialogs.js';
import * as uploads from './uploads.js';
import * as media from './media_upload.js';
import * as avatar from './avatar.js';
import * as voice from './voice.js';
import * as i18n from './i18n.js';
import { copy } from './clipboard.js';
import { announce } from './a11y.js';
import * as viewport from './viewport.js';
import * as network from './network.js';
import * as hook from './hook.js';

Object.assign(page, {
  placeComposer: (x, y, w, h, visible) => { composer.placeComposer(x, y, w, h, visible); emoji.composerShown(visible); },
  placeLogin: dialogs.placeLogin,
  prompt: dialogs.prompt,
  openImage: dialogs.openImage,
  toast: dialogs.toast,
  copy,
  announce,
  firstFrame: loading.firstFrame,
  fatal: loading.fatal,
  stringsChanged: i18n.refresh,
  pickAvatar: avatar.pickAvatar,
  playVoice: voice.playVoice,
  playVideo: media.playVideo,
  download: media.download,
});

fonts.install();
loading.install();
composer.install();
emoji.install();
dialogs.install();
uploads.install();
media.install();
avatar.install();
voice.install();
viewport.install();
network.install();
hook.install();
