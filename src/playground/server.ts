/**
 * Node-only: a tiny static HTTP server for the playground (files held in memory), bound to
 * localhost by default. No directory listing, no paths outside the map.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.png': 'image/png',
};

export interface RunningServer {
  server: Server;
  url: string;
  close(): Promise<void>;
}

export function serveFiles(files: Map<string, Uint8Array>, opts: { port?: number; host?: string } = {}): Promise<RunningServer> {
  const host = opts.host ?? '127.0.0.1';
  const server = createServer((req, res) => {
    // Any page open in the user's browser can reach this port: a bad request gets a 4xx, never a crash.
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405, { allow: 'GET, HEAD', 'content-type': 'text/plain' }).end('method not allowed\n');
      return;
    }
    const path = requestPath(req.url);
    if (path === null) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request: malformed path\n');
      return;
    }
    const body = files.get(path);
    if (!body) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end(`not found: /${path}\n`);
      return;
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(path)] ?? 'application/octet-stream',
      'x-content-type-options': 'nosniff',
      'content-length': body.length,
      'cache-control': 'no-cache',
    });
    res.end(req.method === 'HEAD' ? undefined : body);
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });
  return new Promise((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'EADDRINUSE' ? new Error(`port ${opts.port} on ${host} is in use; pick another with --port`) : e));
    server.listen(opts.port ?? 0, host, () => {
      const { port } = server.address() as AddressInfo;
      const shown = host === '0.0.0.0' || host === '::' ? 'localhost' : host.includes(':') ? `[${host}]` : host;
      resolve({
        server,
        url: `http://${shown}:${port}/`,
        close: () => new Promise((r) => server.close(() => r())),
      });
    });
  });
}

/** The file a request URL names ('' → index.html), or null when its path is not a valid URL path. */
export function requestPath(url: string | undefined): string | null {
  try {
    const p = decodeURIComponent(new URL(url ?? '/', 'http://x').pathname).replace(/^\/+/, '');
    return p.includes('\0') ? null : p || 'index.html';
  } catch {
    return null;
  }
}
