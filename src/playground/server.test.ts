/**
 * The playground / report server survives hostile requests (any page open in the user's browser can
 * reach it): 1,000 malformed escapes, traversal attempts, wrong methods, huge headers, raw garbage
 * and half-sent requests each get a 4xx (or a closed connection), and a normal page load works after:
 * on the server itself and on both commands that serve it, started as a user would (issue 18, finding 1).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'node:http';
import { join } from 'node:path';
import { Rng } from '../engine/rng';
import { withTempDir } from '../../test/helpers';
import { startDfa, until, type Proc } from '../../test/queue/processes';
import { requestPath, serveFiles } from './server';

const files = new Map([['index.html', new TextEncoder().encode('<!doctype html><title>ok</title>')], ['page.js', new TextEncoder().encode('1')]]);

/** Send raw bytes; resolve with the status line (or '' when the server closed without one). */
function raw(port: number, bytes: string): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.setTimeout(2000, () => s.destroy());
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('close', () => resolve(got.split('\r\n')[0] ?? ''));
    s.on('error', () => resolve(''));
    s.end(bytes, 'latin1');
  });
}

function get(port: number, path: string, method = 'GET', headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const r = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.on('data', (d) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    r.on('error', reject);
    r.end();
  });
}

test('requestPath: good paths, index for /, malformed escapes and NUL are refused', () => {
  assert.equal(requestPath('/'), 'index.html');
  assert.equal(requestPath('/page.js?x=1'), 'page.js');
  assert.equal(requestPath('/%70age.js'), 'page.js');
  assert.equal(requestPath('/%'), null);
  assert.equal(requestPath('/%E0%A4%A'), null);
  assert.equal(requestPath('/a%00b'), null);
});

/** Sends n hostile requests of every kind in turn; each must get a 4xx or a closed connection. Counts per status. */
async function sendHostile(port: number, n: number, seed = 7): Promise<string> {
  const rng = new Rng(seed);
  const statuses = new Map<string, number>();
  const kinds = [
    () => raw(port, `GET /${'%'.repeat(1 + rng.int(5))}${rng.int(100)} HTTP/1.1\r\nhost: x\r\n\r\n`),
    () => raw(port, `GET /%E0%A4%A HTTP/1.1\r\nhost: x\r\n\r\n`),
    () => raw(port, `GET /../../../etc/passwd HTTP/1.1\r\nhost: x\r\n\r\n`),
    () => raw(port, `GET /%2e%2e%2f%2e%2e%2fetc%2fpasswd HTTP/1.1\r\nhost: x\r\n\r\n`),
    () => raw(port, `GET /a%00.html HTTP/1.1\r\nhost: x\r\n\r\n`),
    () => raw(port, `${['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE', 'CONNECT'][rng.int(7)]} / HTTP/1.1\r\nhost: x\r\ncontent-length: 0\r\n\r\n`),
    () => raw(port, `GET / HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000 + rng.int(50_000))}\r\n\r\n`),
    () => raw(port, Array.from({ length: 1 + rng.int(200) }, () => String.fromCharCode(rng.int(256))).join('')),
    () => raw(port, `GET / HTTP/1.1\r\nhost: x\r\ncontent-length: -1\r\n\r\n`),
    () => raw(port, `GET /\x7f\x01 HTTP/9.9\r\n\r\n`),
    () => raw(port, `GET / HTTP/1.1\r\nhost`),
  ];
  for (let i = 0; i < n; i++) {
    const line = await kinds[i % kinds.length]!();
    const code = /^HTTP\/1\.[01] (\d{3})/.exec(line)?.[1];
    if (code) assert.ok(Number(code) >= 400 && Number(code) < 500, `request kind ${i % kinds.length} got '${line}'`);
    statuses.set(code ?? 'closed', (statuses.get(code ?? 'closed') ?? 0) + 1);
  }
  return [...statuses].map(([k, v]) => `${k} ×${v}`).join(', ');
}

test('1,000 hostile requests, then a normal page load succeeds', { timeout: 120_000 }, async () => {
  const srv = await serveFiles(files, { port: 0 });
  const port = Number(new URL(srv.url).port);
  try {
    const counts = await sendHostile(port, 1000);
    const ok = await get(port, '/');
    assert.equal(ok.status, 200);
    assert.match(ok.body, /<title>ok<\/title>/);
    assert.equal((await get(port, '/page.js')).status, 200);
    console.log(`hostile requests: ${counts}`);
  } finally {
    await srv.close();
  }
});

/** Starts `dfa ARGS --port 0` as a user would and waits for the URL it prints. */
async function startServer(args: string[]): Promise<{ proc: Proc; port: number }> {
  const proc = startDfa([...args, '--port', '0']);
  await until(() => /http:\/\/127\.0\.0\.1:\d+\//.test(proc.output()) || proc.child.exitCode !== null, 120_000, `dfa ${args[0]} to print its URL`);
  const m = /http:\/\/127\.0\.0\.1:(\d+)\//.exec(proc.output());
  assert.ok(m, `dfa ${args.join(' ')} did not start: ${proc.output()}`);
  return { proc, port: Number(m[1]) };
}

test('both servers as started by the CLI (dfa playground, dfa report runs/<id>): 1,000 hostile requests each, then the page loads', { timeout: 300_000 }, () => withTempDir(async (dir) => {
  const run = join(dir, 'run');
  const train = startDfa(['train', 'rings', '--method', 'dfa', '--epochs', '1', '--n', '200', '--out', run]);
  assert.equal(await train.exited, 0, train.output());
  const servers = [await startServer(['playground']), await startServer(['report', run])];
  try {
    for (const [i, { proc, port }] of servers.entries()) {
      const counts = await sendHostile(port, 1000, 11 + i);
      assert.equal(proc.child.exitCode, null, `the server exited: ${proc.output()}`);
      const page = await get(port, '/');
      assert.equal(page.status, 200);
      assert.match(page.body, /<html|<!doctype html/i);
      if (i === 1) {
        const data = await get(port, '/run-data.json');
        assert.equal(data.status, 200);
        assert.equal(JSON.parse(data.body).runs.length, 1);
      }
      console.log(`${i === 0 ? 'dfa playground' : 'dfa report'}: hostile requests ${counts}; then / is 200`);
    }
  } finally {
    for (const { proc } of servers) proc.child.kill('SIGINT');
    for (const { proc } of servers) assert.equal(await proc.exited, 0, `Ctrl-C ends the server cleanly: ${proc.output()}`);
  }
}));
