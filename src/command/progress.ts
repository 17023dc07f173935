/**
 * A one-line progress bar for long work (epochs, steps, renders): count, rate, ETA and any
 * fields the caller passes (loss, metric). Redraws in place on a TTY; prints a line every
 * `logEvery` seconds otherwise (CI logs stay short).
 */
export class Progress {
  private start = Date.now();
  private lastPrint = 0;
  private readonly tty: boolean;

  constructor(private readonly total: number, private readonly label = '', private readonly logEvery = 10, private readonly stream: NodeJS.WriteStream = process.stderr) {
    this.tty = Boolean(stream.isTTY) && !process.env.CI;
  }

  update(done: number, fields: Record<string, string | number> = {}): void {
    const now = Date.now();
    const final = done >= this.total;
    if (!final && now - this.lastPrint < (this.tty ? 100 : this.logEvery * 1000)) return;
    this.lastPrint = now;
    const el = (now - this.start) / 1000;
    const eta = done > 0 ? (el / done) * (this.total - done) : NaN;
    const frac = this.total > 0 ? done / this.total : 1;
    const w = 20;
    const bar = '█'.repeat(Math.round(frac * w)).padEnd(w, '░');
    const extra = Object.entries(fields).map(([k, v]) => `${k} ${typeof v === 'number' ? fmtNum(v) : v}`).join('  ');
    const line = `${this.label} ${bar} ${done}/${this.total}  ${fmtTime(el)} elapsed  ETA ${Number.isFinite(eta) ? fmtTime(eta) : '?'}  ${extra}`;
    if (this.tty) this.stream.write(`\r\x1b[K${line}${final ? '\n' : ''}`);
    else this.stream.write(line + '\n');
  }
}

function fmtNum(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? v.toExponential(3) : v.toFixed(4);
}

export function fmtTime(s: number): string {
  if (s < 60) return `${s.toFixed(1)}s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m}m${String(Math.round(s - 60 * m)).padStart(2, '0')}s`;
  return `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}
