// Minimal JSON-over-HTTP client on node:http (keep-alive agents; cheaper than fetch).
import http from 'node:http';

export function agent(maxSockets) {
  return new http.Agent({ keepAlive: true, maxSockets, maxFreeSockets: maxSockets, scheduling: 'fifo' });
}

// Resolves {status, headers, json, text}; rejects on a network error or after `timeout` ms.
export function request(port, path, { agent: ag, method = 'POST', token, body, localAddress, timeout = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers = {};
    if (token) headers.token = token;
    if (payload) { headers['content-type'] = 'application/json'; headers['content-length'] = payload.length; }
    const req = http.request({ host: '127.0.0.1', port, path, method, headers, agent: ag, localAddress }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString();
        let json = null;
        try { json = JSON.parse(text); } catch { /* not JSON */ }
        resolve({ status: res.statusCode, headers: res.headers, json, text });
      });
      res.on('error', reject);
    });
    req.setTimeout(timeout, () => req.destroy(new Error(`timeout after ${timeout} ms`)));
    req.on('error', reject);
    req.end(payload);
  });
}
