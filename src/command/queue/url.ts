/**
 * The `--queue redis://HOST:PORT[/DB]` address of the Redis that holds the jobs, checked before
 * any work, and the connection options BullMQ gets from it. A password may be given as
 * redis://:PASSWORD@HOST:PORT (or user:password@); it is never printed.
 */
import { UsageError } from '../options';

export interface QueueAddress {
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  /** the address as printed (no password) */
  label: string;
}

export function parseQueueUrl(url: string, command = 'dfa'): QueueAddress {
  const bad = (why: string) => new UsageError(`${command}: --queue ${why} (expected redis://HOST:PORT, e.g. redis://127.0.0.1:6379)`);
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw bad(`'${url}' is not a URL`);
  }
  if (u.protocol !== 'redis:') throw bad(`'${url}' is not a redis:// address`);
  if (!u.hostname) throw bad(`'${url}' names no host`);
  const port = u.port ? Number(u.port) : 6379;
  const path = u.pathname.replace(/^\//, '');
  if (path && !/^\d{1,2}$/.test(path)) throw bad(`'${url}': the path must be a database number (/0 ... /15)`);
  if (u.search || u.hash) throw bad(`'${url}' has a query or fragment, which is not used`);
  const db = path ? Number(path) : 0;
  const host = u.hostname.replace(/^\[|\]$/g, '');
  return {
    host, port, db,
    ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
    ...(u.password ? { password: decodeURIComponent(u.password) } : {}),
    label: `redis://${u.hostname}:${port}${db ? `/${db}` : ''}`,
  };
}

/** The connection options for BullMQ's Queue, QueueEvents and Worker (each makes its own client). */
export function connectionOf(a: QueueAddress): { host: string; port: number; db: number; username?: string; password?: string } {
  return { host: a.host, port: a.port, db: a.db, ...(a.username ? { username: a.username } : {}), ...(a.password ? { password: a.password } : {}) };
}
