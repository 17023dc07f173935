/** `dfa report runs/<id> [...]`: the playground page's charts for runs written by `dfa train`. */
import { readRun } from '../../playground/runs';
import type { ReportData } from '../../playground/run_data';
import { serveFiles } from '../../playground/server';
import { buildSite, writeSite } from '../../playground/site';
import { defineCommand } from '../../command/command';
import { UsageError } from '../../command/options';
import { checkInputPath } from '../../command/paths';

export default defineCommand({
  name: 'report',
  summary: "show runs/<id> folders written by 'dfa train' as charts in the browser",
  description: `Opens run folders written by 'dfa train' (config.json, metrics.jsonl, result.json) in the playground
page: loss, metric and per-layer alignment curves, one panel per run. Prints the URL.`,
  positionals: [{ name: 'runs', help: 'run folders (one or more)', required: true, variadic: true }],
  options: {
    port: { type: 'int', min: 0, max: 65535, default: 8080, help: 'port (0 = any free port)' },
    host: { type: 'string', default: '127.0.0.1', help: 'address to bind' },
    build: { type: 'path', kind: 'out-dir', help: "write a static site with the runs' data to DIR instead, and exit" },
  },
  validate({ positionals }) {
    for (const d of positionals) {
      const why = checkInputPath(d, 'in-dir');
      if (why) throw new UsageError(`dfa report: run folder ${d}: ${why}`);
    }
  },
  async run({ positionals, options: o }) {
    return openReport(positionals, { port: o.port, host: o.host, buildDir: o.build });
  },
});

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
