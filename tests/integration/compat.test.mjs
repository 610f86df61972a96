// Reference compatibility and stored join requests over the real server (issue 9):
// failures the transport answers itself keep the {msg:"fail",data} envelope (413),
// the token in a JSON body, a Chinese username, the personal QR through
// groupQrcode?chatType=single, and a join request that outlives a SIGKILL.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, api, deviceId } from '../lib/server.mjs';

let server;
before(async () => { server = await startServer(); });
after(async () => { await server?.stop(); });

async function account(base, username, password = 'secret1') {
  const reg = await api(base, 'POST', '/api/regChat', { body: { username, password, repassword: password } });
  assert.equal(reg.status, 200, reg.text);
  const login = await api(base, 'POST', '/api/loginChat', { body: { username, password } });
  assert.equal(login.status, 200, login.text);
  return login.json.data;
}

test('413 from the transport keeps the envelope, on JSON routes and uploads', async () => {
  const big = await api(server.base, 'POST', '/api/visitorRegister', { body: 'x'.repeat(2 * 1024 * 1024) });
  assert.equal(big.status, 413);
  assert.deepEqual(big.json, { msg: 'fail', data: '请求内容太大' }, big.text);
  const g = (await api(server.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(1) } })).json.data;
  const up = await fetch(`${server.base}/api/chat/upload`, { method: 'POST', headers: { token: g.token },
    body: Buffer.alloc(51 * 1024 * 1024) });   // past the upload route's body limit (50 MiB + framing; issue 13)
  assert.equal(up.status, 413);
  assert.match(up.headers.get('content-type'), /^application\/json/);
  assert.equal((await up.json()).msg, 'fail');
});

test('the token in a JSON body, a 7-character Chinese username', async () => {
  const u = await account(server.base, '张三丰李四王五');
  assert.equal(u.username, '张三丰李四王五');
  const r = await api(server.base, 'POST', '/api/chat/updateUserinfo', { body: { token: u.token, nickname: '三丰' } });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.data.nickname, '三丰');
});

test('groupQrcode?chatType=single answers the personal QR', async () => {
  const u = await account(server.base, 'qrsingle');
  const mine = await api(server.base, 'GET', '/api/chat/userQrcode?format=matrix', { token: u.token });
  const got = await api(server.base, 'GET', '/api/chat/groupQrcode/0?type=H5&chatType=single&format=matrix',
    { token: u.token });
  assert.equal(got.status, 200, got.text);
  assert.equal(got.json.data.url, mine.json.data.url);
  assert.match(got.json.data.url, /\/\?user=[0-9a-f]+$/);
});

test('a join request with its reason outlives a SIGKILL; the owner approves it later, elsewhere', async () => {
  const own = await startServer();
  const owner = await account(own.base, 'reqowner');
  const created = await api(own.base, 'POST', '/api/chat/group/create', { token: owner.token, body: { name: '审批群' } });
  const gid = created.json.data.id;
  await api(own.base, 'POST', '/api/chat/groupAddUserSet', { token: owner.token, body: { group_id: gid, addGroupSet: 1 } });
  const g = (await api(own.base, 'POST', '/api/visitorRegister', { body: { deviceId: deviceId(2) } })).json.data;
  const asked = Date.now();
  const join = await api(own.base, 'POST', '/api/chat/groupInviteUser',
    { token: g.token, body: { group_id: gid, user_id: g.id, inviteuser_id: -1, addGroupDesc: '朋友介绍来的' } });
  assert.equal(join.json.data.pending, true, join.text);
  await own.stop({ keepData: true, signal: 'SIGKILL' });

  const again = await startServer({ dataDir: own.dir });
  try {
    const phone = await api(again.base, 'POST', '/api/loginChat', { body: { username: 'reqowner', password: 'secret1' } });
    const info = await api(again.base, 'GET', `/api/chat/groupinfo/${gid}`, { token: phone.json.data.token });
    const req = info.json.data.group_users.find((m) => m.user_id === g.id);
    assert.ok(req, info.text);
    assert.equal(req.status, 2);
    assert.equal(req.reason, '朋友介绍来的');
    assert.ok(req.request_time >= asked - 1000 && req.request_time <= Date.now(), String(req.request_time));
    const ok = await api(again.base, 'POST', '/api/chat/groupAgreeOrNo',
      { token: phone.json.data.token, body: { group_id: gid, user_id: g.id, type: 'agree' } });
    assert.equal(ok.status, 200, ok.text);
    const mine = await api(again.base, 'GET', `/api/chat/groupinfo/${gid}`, { token: g.token });
    assert.equal(mine.json.data.my_status, 1);
  } finally {
    await again.stop();
  }
});
