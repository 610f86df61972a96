// HTTP over a raw TCP socket, for tests that must send exactly what they write: node's fetch
// normalises `..` out of paths, cannot trickle a header, and hides connection reuse.
import net from 'node:net';

// Parses the first HTTP response in `buf` (Content-Length bodies); null while incomplete.
export function parseResponse(buf) {
  const end = buf.indexOf('\r\n\r\n');
  if (end < 0) return null;
  const head = buf.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(head[0].split(' ')[1]);
  const headers = {};
  for (const line of head.slice(1)) {
    const i = line.indexOf(':');
    headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  const len = Number(headers['content-length'] || 0);
  if (buf.length < end + 4 + len) return null;
  const body = buf.subarray(end + 4, end + 4 + len).toString('utf8');
  let json = null;
  try { json = JSON.parse(body); } catch { /* not JSON */ }
  return { status, headers, body, json, rest: buf.subarray(end + 4 + len) };
}

// Connects to 127.0.0.1:port; resolves once connected.
export function connect(port, opts = {}) {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port, ...opts }, () => resolve(s));
    s.once('error', reject);
  });
}

// Writes `text` (or Buffer) on a new connection and resolves with the first response
// (or { status: 0, closed: true } if the server closed without one) within `timeout` ms.
export async function rawRequest(port, text, { timeout = 10000 } = {}) {
  const s = await connect(port);
  try {
    return await readResponse(s, timeout, () => s.write(text));
  } finally {
    s.destroy();
  }
}

// Reads the next response on an open socket; `start` (optional) writes the request.
export function readResponse(s, timeout = 10000, start = null) {
  return new Promise((resolve, reject) => {
    let buf = Buffer.alloc(0);
    const done = (v) => { cleanup(); resolve(v); };
    const onData = (d) => {
      buf = Buffer.concat([buf, d]);
      const r = parseResponse(buf);
      if (r) done(r);
    };
    const onEnd = () => done(parseResponse(buf) || { status: 0, closed: true, raw: buf.toString('latin1') });
    const onError = (e) => { if (e.code === 'ECONNRESET' || e.code === 'EPIPE') onEnd(); else { cleanup(); reject(e); } };
    const timer = setTimeout(() => { cleanup(); reject(new Error(`no response in ${timeout} ms`)); }, timeout);
    function cleanup() {
      clearTimeout(timer);
      s.off('data', onData); s.off('end', onEnd); s.off('close', onEnd); s.off('error', onError);
    }
    s.on('data', onData); s.once('end', onEnd); s.once('close', onEnd); s.on('error', onError);
    if (start) start();
  });
}

// Resolves with the ms from now until the server closes `s` (end or reset), or rejects after `timeout`.
export function closedWithin(s, timeout) {
  const t0 = Date.now();
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`still open after ${timeout} ms`)), timeout);
    const fin = () => { clearTimeout(timer); resolve(Date.now() - t0); };
    s.once('end', fin);
    s.once('close', fin);
    s.on('error', () => {});
    s.resume();
  });
}
