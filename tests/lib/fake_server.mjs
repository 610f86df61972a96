// A fake imchat server in node, for tests that need a server which misbehaves on purpose
// (tests/browser/hostile.test.mjs): it serves the built site (build-web/site) and just enough
// of the HTTP API and /ws for the page to register as a guest, open group `gid` and chat in
// it; a test then pushes anything it likes over the page's socket (push / pushRaw / pushBytes)
// and overrides any API answer (answer(prefix, fn)).
import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WebSocketServer } from 'ws';
import { webRoot } from './server.mjs';

const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.ttf': 'font/ttf', '.json': 'application/json' };

export async function startFakeServer({ gid = 7, me = 10, owner = 99 } = {}) {
  const messages = [];             // the group's history, as the API answers it
  const sockets = new Set();
  const overrides = [];            // [prefix, fn(req, body) -> {status, body} | null]
  const asked = [];                // every API path asked, in order
  let nextId = 5000, nextSeq = 1;

  const message = (fields = {}) => ({
    id: nextId++, seq: nextSeq++, from_id: owner, from_name: '群主', from_avatar: '', to_id: gid,
    chatType: 'group', type: 'text', data: '', options: '', create_time: Date.now(), isremove: 0, ...fields,
  });
  const group = () => ({
    id: gid, name: '测试群', avatar: '', invite_confirm: 0, status: 1, user_id: owner, member_count: 2, my_status: 1,
    group_users: [{ user_id: owner, nickname: '', name: '群主', status: 1 }, { user_id: me, nickname: '', name: '游客', status: 1 }],
  });
  const ok = (data) => ({ status: 200, body: JSON.stringify({ msg: 'ok', data }) });

  function api(route, body) {
    if (route.startsWith('/api/visitorRegister'))
      return ok({ id: me, username: 'VIS00000010', nickname: '', avatar: '', role: 'visitor', token: 'a'.repeat(64) });
    if (route.startsWith(`/api/chat/groupinfo/${gid}`)) return ok(group());
    if (route.startsWith(`/api/chat/history/group/${gid}`)) {
      const q = new URL(route, 'http://x').searchParams;
      const after = q.has('after_seq') ? Number(q.get('after_seq')) : null;
      const before = q.has('before_seq') ? Number(q.get('before_seq')) : null;
      const limit = Number(q.get('limit') || 30);
      let list = messages.filter((m) => (after === null || m.seq > after) && (before === null || m.seq < before));
      list = after === null ? list.slice(-limit) : list.slice(0, limit);
      return ok({ list });
    }
    if (route.startsWith('/api/chat/conversationList')) return ok([]);
    if (route.startsWith('/api/chat/grouplist')) return ok([]);
    if (route.startsWith('/api/chat/socket/sendmessage')) {
      const m = message({ from_id: me, from_name: '游客', to_id: body.sendto_id, type: body.type, data: body.data,
        options: body.options || '', client_msg_id: body.client_msg_id || '' });
      messages.push(m);
      return ok(m);
    }
    return ok({});
  }

  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    if (url.pathname.startsWith('/api/')) {
      const route = url.pathname + url.search;
      asked.push(url.pathname);
      let raw = '';
      for await (const chunk of req) raw += chunk;
      let body = {};
      try { body = raw ? JSON.parse(raw) : {}; } catch { /* not JSON */ }
      let answer = null;
      for (const [prefix, fn] of overrides) if (route.startsWith(prefix) && (answer = fn(route, body))) break;
      answer = answer || api(route, body);
      res.writeHead(answer.status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(answer.body);
      return;
    }
    const name = url.pathname === '/' ? 'index.html' : path.normalize(decodeURIComponent(url.pathname)).replace(/^\/+/, '');
    if (name.includes('..')) { res.writeHead(404).end(); return; }
    try {
      const data = await readFile(path.join(webRoot, name));
      res.writeHead(200, { 'content-type': TYPES[path.extname(name)] || 'application/octet-stream' });
      res.end(data);
    } catch {
      res.writeHead(404).end();
    }
  });

  const wss = new WebSocketServer({ server, path: '/ws' });
  let accepted = 0;   // sockets ever accepted (a reconnect makes it grow)
  wss.on('connection', (ws) => {
    accepted++;
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      if (isBinary) return;
      let f = null;
      try { f = JSON.parse(data.toString()); } catch { return; }
      if (f && f.type === 'ping') ws.send(JSON.stringify({ type: 'pong', timestamp: Date.now() }));
    });
  });

  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  const each = (fn) => { for (const ws of sockets) if (ws.readyState === 1) fn(ws); };

  return {
    port, base: `http://127.0.0.1:${port}`, gid, me, owner, messages, asked,
    socketCount: () => [...sockets].filter((ws) => ws.readyState === 1).length,
    accepted: () => accepted,
    // A well-formed chat message from the owner: stored (history answers it) and pushed.
    say(fields) {
      const m = message(typeof fields === 'string' ? { data: fields } : fields);
      if (typeof m.seq === 'number' && m.seq >= nextSeq) nextSeq = m.seq + 1;
      messages.push(m);
      each((ws) => ws.send(JSON.stringify({ type: 'singleChat', data: m, timestamp: Date.now() })));
      return m;
    },
    // Anything, as one text frame: a string is sent as is, anything else JSON-encoded.
    pushRaw(frame) { each((ws) => ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame))); },
    // Raw bytes: a binary frame, or (text: true) a text frame whose bytes need not be UTF-8.
    pushBytes(bytes, { text = false } = {}) { each((ws) => ws.send(Buffer.from(bytes), { binary: !text })); },
    // Overrides the answers of routes starting with `prefix`: fn(route, body) returns
    // {status, body (string | Buffer)}, or null to answer as usual.
    answer(prefix, fn) { overrides.unshift([prefix, fn]); },
    clearAnswers() { overrides.length = 0; },
    async stop() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections?.();
      await new Promise((r) => server.close(r));
    },
  };
}
