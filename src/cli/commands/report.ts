/** `dfa report runs/<id> [...]`: the playground page's charts for runs written by `dfa train`. */
import { readRun } from '../../playground/runs';
import type { ReportData } from '../../playground/run_data';
import { serveFiles } from '../../playground/server';
import { buildSite, writeSite } from '../../playground/site';
import { Options, parseArgs } from '../args';

export const help = `usage: dfa report runs/<id> [runs/<id2> ...] [--port N] [--host H] [--build DIR]

Opens run directories written by 'dfa train' (config.json, metrics.jsonl, result.json) in the
playground page: loss, metric and per-layer alignment curves, one panel per run. Prints the URL.

options:
  --port N        port (default 8080; 0 = any free port)
  --host H        address to bind (default 127.0.0.1)
  --build DIR     write a static site with the runs' data to DIR instead, and exit`;

export async function run(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv);
  const o = new Options(options, 'dfa report');
  const port = o.int('port', 8080);
  const host = o.str('host', '127.0.0.1');
  const buildDir = o.str('build');
  o.done();
  if (!positional.length) {
    console.error(help);
    return 1;
  }
  return openReport(positional, { port, host, buildDir });
}

export async function openReport(dirs: string[], o: { port: number; host: string; buildDir?: string }): Promise<number> {
  const data: ReportData = { runs: dirs.map((d) => readRun(d)) };
  const files = await buildSite();
  files.set('run-data.json', new TextEncoder().encode(JSON.stringify(data)));
  if (o.buildDir) {
    writeSite(files, o.buildDir);
    console.log(`wrote the report of ${dirs.length} run(s) to ${o.buildDir}; serve it and open index.html?report=run-data.json`);
    return 0;
  }
  const srv = await serveFiles(files, { port: o.port, host: o.host });
  console.log(`dfa report: ${srv.url}?report=run-data.json  (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await srv.close();
  return 0;
}
