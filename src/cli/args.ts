/** Minimal, strict argument parsing: `--name value`, `--flag`, `--name=value`, positionals. */
export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | true>;
}

export function parseArgs(argv: string[]): ParsedArgs {
  const positional: string[] = [];
  const options: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      if (eq > 0) {
        options[a.slice(2, eq)] = a.slice(eq + 1);
      } else {
        const next = argv[i + 1];
        if (next !== undefined && !next.startsWith('--')) {
          options[a.slice(2)] = next;
          i++;
        } else {
          options[a.slice(2)] = true;
        }
      }
    } else {
      positional.push(a);
    }
  }
  return { positional, options };
}

/** Typed accessors that reject unknown options and bad values with a clear message. */
export class Options {
  private used = new Set<string>();
  constructor(private readonly opts: Record<string, string | true>, private readonly command: string) {}

  str(name: string, def: string): string;
  str(name: string): string | undefined;
  str(name: string, def?: string): string | undefined {
    this.used.add(name);
    const v = this.opts[name];
    if (v === undefined) return def;
    if (v === true) throw new Error(`${this.command}: --${name} needs a value`);
    return v;
  }

  num(name: string, def: number): number;
  num(name: string): number | undefined;
  num(name: string, def?: number): number | undefined {
    const v = this.str(name);
    if (v === undefined) return def;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`${this.command}: --${name} must be a number, got '${v}'`);
    return n;
  }

  int(name: string, def: number): number;
  int(name: string): number | undefined;
  int(name: string, def?: number): number | undefined {
    const n = this.num(name);
    if (n === undefined) return def;
    if (!Number.isInteger(n)) throw new Error(`${this.command}: --${name} must be an integer, got ${n}`);
    return n;
  }

  flag(name: string): boolean {
    this.used.add(name);
    const v = this.opts[name];
    return v === true || v === 'true' || v === '1';
  }

  list(name: string, def: string[]): string[] {
    const v = this.str(name);
    return v === undefined ? def : v.split(',').map((s) => s.trim()).filter(Boolean);
  }

  /** Call after reading every option: an option nobody read is a typo. */
  done(): void {
    const unknown = Object.keys(this.opts).filter((k) => !this.used.has(k));
    if (unknown.length) throw new Error(`${this.command}: unknown option${unknown.length > 1 ? 's' : ''} ${unknown.map((u) => '--' + u).join(', ')}`);
  }
}
