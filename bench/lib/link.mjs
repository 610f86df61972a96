// A phone on a slow link: Chromium's own network emulation (CDP Network.emulateNetworkConditions)
// and a byte count of everything that crossed it, and, in the page, the moment a chat became
// readable.
//
// Bytes counted: for every HTTP request, Network.loadingFinished's encodedDataLength (bytes
// received for it, headers included, as compressed on the wire; 0 for a memory or disk cache
// hit, the headers only for a 304), plus the payload of every WebSocket frame received
// (Network.webSocketFrameReceived: payload bytes, without frame headers and the handshake).
// Bytes sent (request bodies, frames sent) are not counted.

// The links of issue 11. Upload is not in the table: these are the usual pairings.
export const LINKS = {
  '4G': { title: '4G-like: 4 Mbps down, 40 ms', downMbps: 4, upMbps: 1.5, latencyMs: 40 },
  '3G': { title: '3G-like: 1.6 Mbps down, 150 ms', downMbps: 1.6, upMbps: 0.75, latencyMs: 150 },
};

// Applies `link` to the page and counts what comes over it. reset() starts a new count.
export async function emulate(page, link) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: link.latencyMs,
    downloadThroughput: (link.downMbps * 1e6) / 8,   // bytes per second
    uploadThroughput: (link.upMbps * 1e6) / 8,
  });
  let c;
  const reset = () => {
    c = { http: 0, ws: 0, requests: 0, cached: 0, inFlight: new Set(), lastEventAt: Date.now(), urls: new Map(), byUrl: [] };
  };
  reset();
  const touch = () => { c.lastEventAt = Date.now(); };
  cdp.on('Network.requestWillBeSent', (e) => { c.inFlight.add(e.requestId); c.urls.set(e.requestId, e.request.url); touch(); });
  cdp.on('Network.requestServedFromCache', () => { c.cached++; });
  cdp.on('Network.loadingFinished', (e) => {
    if (!c.inFlight.delete(e.requestId)) return;   // started before reset()
    c.http += e.encodedDataLength;
    c.requests++;
    c.byUrl.push({ url: c.urls.get(e.requestId), bytes: e.encodedDataLength });
    touch();
  });
  cdp.on('Network.loadingFailed', (e) => { c.inFlight.delete(e.requestId); touch(); });
  cdp.on('Network.webSocketFrameReceived', (e) => {
    const r = e.response;
    // Text frames carry their text, binary ones base64.
    c.ws += r.opcode === 1 ? Buffer.byteLength(r.payloadData, 'utf8') : Buffer.from(r.payloadData, 'base64').length;
    touch();
  });
  return {
    reset,
    counts: () => ({ http: c.http, ws: c.ws, total: c.http + c.ws, requests: c.requests, cached: c.cached, byUrl: c.byUrl }),
    // Resolves once no request is in flight and nothing arrived for quietMs (at most maxMs).
    async quiet(quietMs = 1000, maxMs = 20000) {
      const start = Date.now();
      while (Date.now() - start < maxMs) {
        if (c.inFlight.size === 0 && Date.now() - c.lastEventAt >= quietMs) return true;
        await new Promise((r) => setTimeout(r, 50));
      }
      return false;
    },
    detach: () => cdp.detach().catch(() => {}),
  };
}

// Runs in the page from its first script on (page.addInitScript): every ~20 ms, records
// performance.now() when all `texts` are messages in imchat.snapshot() ("shown"), and then when
// imchat.missingGlyphs(their concatenation) is empty too ("readable").
export function readableProbe(texts) {
  const probe = (window.__benchProbe = { shownAt: null, readableAt: null, error: null });
  const all = texts.join('');
  const timer = setInterval(() => {
    try {
      const im = window.imchat;
      if (!im) return;
      if (probe.shownAt === null) {
        const s = im.snapshot();
        const msgs = (s && s.open && s.open.messages) || [];
        if (!texts.every((t) => msgs.some((m) => m.data === t))) return;
        probe.shownAt = performance.now();
      }
      const missing = im.missingGlyphs(all);
      if (missing && missing.length === 0) {
        probe.readableAt = performance.now();
        clearInterval(timer);
      }
    } catch (e) {
      probe.error = String(e && e.message || e);
    }
  }, 20);
}
