// Network: mobile browsers kill background sockets silently, so the core retries at
// once when the network or the page comes back.
import { ready } from './bridge.js';

export function install() {
  const online = () => { if (ready()) Module._imchat_network_online(); };
  window.addEventListener('online', online);
  window.addEventListener('offline', () => { if (ready()) Module._imchat_network_offline(); });
  window.addEventListener('pageshow', (e) => { if (e.persisted) online(); });   // back/forward cache
  document.addEventListener('visibilitychange', () => {
    const visible = document.visibilityState === 'visible';
    if (ready()) Module._imchat_visibility(visible ? 1 : 0);   // read receipts only while seen
    if (visible) online();
  });
}
