/**
 * The playground / report server survives hostile requests (any page open in the user's browser can
 * reach it): 1,000 malformed escapes, traversal attempts, wrong methods, huge headers, raw garbage
 * and half-sent requests each get a 4xx (or a closed connection), and a normal page load works after.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connect } from 'node:net';
import { request } from 'node:http';
import { Rng } from '../engine/rng';
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

test('1,000 hostile requests, then a normal page load succeeds', { timeout: 120_000 }, async () => {
  const srv = await serveFiles(files, { port: 0 });
  const port = Number(new URL(srv.url).port);
  const rng = new Rng(7);
  const statuses = new Map<string, number>();
  const count = (s: string) => statuses.set(s, (statuses.get(s) ?? 0) + 1);
  try {
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
    for (let i = 0; i < 1000; i++) {
      const line = await kinds[i % kinds.length]!();
      const code = /^HTTP\/1\.[01] (\d{3})/.exec(line)?.[1];
      if (code) assert.ok(Number(code) >= 400 && Number(code) < 500, `request kind ${i % kinds.length} got '${line}'`);
      count(code ?? 'closed');
    }
    const ok = await get(port, '/');
    assert.equal(ok.status, 200);
    assert.match(ok.body, /<title>ok<\/title>/);
    assert.equal((await get(port, '/page.js')).status, 200);
    console.log(`hostile requests: ${[...statuses].map(([k, v]) => `${k} ×${v}`).join(', ')}`);
  } finally {
    await srv.close();
  }
});
