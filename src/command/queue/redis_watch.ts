/**
 * Redis's reachability, as the submitter and the workers see it: `waitForRedis` waits up to
 * --queue-wait seconds for Redis at the start (then QueueUnavailableError), and a `RedisWatch`
 * pings it every second during the work: when it goes away it says so once, waits the same time
 * for it to come back (BullMQ's own connections reconnect by themselves), and then gives up with
 * QueueConnectionLostError.
 */
import { Redis } from 'ioredis';
import { connectionOf, type QueueAddress } from './url';
import { QueueConnectionLostError, QueueUnavailableError } from './errors';

/**
 * A client that fails commands at once while disconnected (no offline queue) and reconnects every
 * 250 ms; `why()` is the last connection error (ECONNREFUSED ...), better than the command's.
 */
function probe(a: QueueAddress): Redis & { why(fallback: string): string } {
  const r = new Redis({ ...connectionOf(a), lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, connectTimeout: 2000, retryStrategy: () => 250 });
  let last = '';
  r.on('error', (e: Error) => (last = e.message));
  r.on('ready', () => (last = ''));
  const plain = (m: string) => (/Stream isn't writeable/.test(m) ? 'connection closed' : m);
  return Object.assign(r, { why: (fallback: string) => last || plain(fallback) || 'no answer' });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once Redis answers PING; throws QueueUnavailableError after `seconds`. */
export async function waitForRedis(a: QueueAddress, seconds: number, who: string): Promise<void> {
  const r = probe(a);
  const t0 = Date.now();
  let last = '';
  try {
    r.connect().catch(() => {});
    for (;;) {
      try {
        await r.ping();
        return;
      } catch (e) {
        last = (e as Error).message;
      }
      if (Date.now() - t0 >= seconds * 1000) {
        throw new QueueUnavailableError(`${who} cannot reach Redis at ${a.label} (${r.why(last)}) after waiting ${seconds} s: start it (e.g. redis-server --port ${a.port}) or check --queue`);
      }
      await sleep(250);
    }
  } finally {
    r.disconnect();
  }
}

export class RedisWatch {
  private readonly r: ReturnType<typeof probe>;
  private timer: NodeJS.Timeout | null = null;
  private lostAt: number | null = null;
  private lostReason = '';
  private failure: ((e: Error) => void) | null = null;
  /** rejects with QueueConnectionLostError when Redis stayed away longer than the wait */
  readonly lost: Promise<never>;

  /** `hint`: what the user can do about it, appended to the error */
  constructor(private readonly a: QueueAddress, private readonly seconds: number, private readonly who: string, private readonly log: (m: string) => void, private readonly hint = '') {
    this.r = probe(a);
    this.lost = new Promise<never>((_, reject) => (this.failure = reject));
    this.lost.catch(() => {}); // observed by whoever races it
    this.r.connect().catch(() => {});
    this.timer = setInterval(() => void this.check(), 1000);
  }

  private async check(): Promise<void> {
    try {
      await this.r.ping();
      if (this.lostAt !== null) this.log(`${this.who}: Redis at ${this.a.label} is back after ${((Date.now() - this.lostAt) / 1000).toFixed(1)} s`);
      this.lostAt = null;
    } catch (e) {
      const now = Date.now();
      if (this.lostAt === null) {
        this.lostAt = now;
        this.lostReason = this.r.why((e as Error).message);
        this.log(`${this.who}: lost the connection to Redis at ${this.a.label} (${this.lostReason}); waiting up to ${this.seconds} s for it to come back`);
      } else if (now - this.lostAt >= this.seconds * 1000 && this.failure) {
        this.failure(new QueueConnectionLostError(`${this.who} lost the connection to Redis at ${this.a.label} (${this.lostReason}) and it did not come back within ${this.seconds} s (--queue-wait)${this.hint ? `; ${this.hint}` : ''}`));
        this.failure = null;
        this.stop();
      }
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.r.disconnect();
  }
}
