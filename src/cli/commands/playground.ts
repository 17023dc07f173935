/** `dfa playground`: the browser playground on localhost, or written to a folder (--build). */
import { encodeSettings, decodeSettings } from '../../playground/settings';
import { serveFiles } from '../../playground/server';
import { coraSiteFiles } from '../../playground/data_files';
import { buildSite, writeSite } from '../../playground/site';
import { Options, parseArgs } from '../args';
import { openReport } from './report';

export const help = `usage: dfa playground [--port N] [--host H] [--build DIR] [--cora DIR] [--run runs/<id>]

Serves the browser playground (BP, DFA, FA and shallow training side by side on 2-D toy tasks, in
a Web Worker with TensorFlow.js) on http://127.0.0.1:<port>/ and prints the URL.

options:
  --port N        port (default 8080; 0 = any free port)
  --host H        address to bind (default 127.0.0.1)
  --build DIR     write the static site (index.html, style.css, page.js, worker.js) to DIR and exit;
                  any static web server can host it
  --cora DIR      also offer the Cora task (a GCN on the citation graph): DIR holds the eight raw
                  Planetoid files ind.cora.{x,tx,allx,y,ty,ally,graph,test.index} (or a raw/ folder
                  with them), e.g. ../shared/data/cora/raw; they are served (and, with --build,
                  written) beside the page. Without it the page takes the files from a file picker.
  --run DIR       show a run directory written by 'dfa train' instead (same as 'dfa report DIR')
  --settings Q    initial settings as in a shared link, e.g. 'task=xor&methods=bp,dfa&seed=3'`;

export async function run(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv);
  const o = new Options(options, 'dfa playground');
  const port = o.int('port', 8080);
  const host = o.str('host', '127.0.0.1');
  const buildDir = o.str('build');
  const runDir = o.str('run');
  const q = o.str('settings');
  const coraDir = o.str('cora');
  o.done();
  if (positional.length) throw new Error(`dfa playground: unexpected argument '${positional[0]}'`);
  if (runDir) return openReport([runDir], { port, host, buildDir });
  let hash = '';
  if (q) {
    const { settings, warnings } = decodeSettings(q);
    if (warnings.length) throw new Error(`dfa playground --settings: ${warnings.join('; ')}`);
    hash = `#${encodeSettings(settings)}`;
  }
  const t0 = performance.now();
  const files = await buildSite();
  if (coraDir) {
    const d = coraSiteFiles(coraDir);
    for (const [k, v] of d.files) files.set(k, v);
    console.log(d.summary);
  }
  if (buildDir) {
    const written = writeSite(files, buildDir);
    console.log(`wrote ${written.length} files to ${buildDir} (${((performance.now() - t0) / 1000).toFixed(1)} s); host the folder with any static web server`);
    return 0;
  }
  const srv = await serveFiles(files, { port, host });
  console.log(`dfa playground: ${srv.url}${hash}  (Ctrl-C to stop)`);
  await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
  await srv.close();
  return 0;
}
