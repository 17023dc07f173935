/** `dfa playground`: the browser playground on localhost, or written to a folder (--build). */
import { encodeSettings, decodeSettings } from '../../playground/settings';
import { serveFiles } from '../../playground/server';
import { coraSiteFiles } from '../../playground/data_files';
import { buildSite, writeSite } from '../../playground/site';
import { defineCommand } from '../../command/command';
import { UsageError } from '../../command/options';
import { openReport } from './report';

const PORT = { type: 'int', min: 0, max: 65535, default: 8080, help: 'port (0 = any free port)' } as const;
const HOST = { type: 'string', default: '127.0.0.1', help: 'address to bind' } as const;

export default defineCommand({
  name: 'playground',
  summary: 'the browser playground: BP, DFA, FA and shallow learning side by side, live',
  description: `Serves the browser playground (training side by side on 2-D toy tasks, in a Web Worker with
TensorFlow.js) on http://127.0.0.1:<port>/ and prints the URL.`,
  options: {
    port: PORT,
    host: HOST,
    build: { type: 'path', kind: 'out-dir', help: 'write the static site (index.html, style.css, page.js, worker.js) to DIR and exit' },
    cora: { type: 'path', kind: 'in-dir', help: 'also offer the Cora task: DIR holds the eight raw Planetoid files ind.cora.* (or a raw/ folder with them), e.g. ../shared/data/cora/raw' },
    run: { type: 'path', kind: 'in-dir', help: "show a run folder written by 'dfa train' instead (same as 'dfa report DIR')" },
    settings: { type: 'string', help: "initial settings as in a shared link, e.g. 'task=xor&methods=bp,dfa&seed=3'" },
  },
  validate({ options }) {
    if (options.settings) {
      const { warnings } = decodeSettings(options.settings);
      if (warnings.length) throw new UsageError(`dfa playground --settings: ${warnings.join('; ')}`);
    }
  },
  async run({ options: o }) {
    if (o.run) return openReport([o.run], { port: o.port, host: o.host, buildDir: o.build });
    const hash = o.settings ? `#${encodeSettings(decodeSettings(o.settings).settings)}` : '';
    const t0 = performance.now();
    const files = await buildSite();
    if (o.cora) {
      const d = coraSiteFiles(o.cora);
      for (const [k, v] of d.files) files.set(k, v);
      console.log(d.summary);
    }
    if (o.build) {
      const written = writeSite(files, o.build);
      console.log(`wrote ${written.length} files to ${o.build} (${((performance.now() - t0) / 1000).toFixed(1)} s); host the folder with any static web server`);
      return 0;
    }
    const srv = await serveFiles(files, { port: o.port, host: o.host });
    console.log(`dfa playground: ${srv.url}${hash}  (Ctrl-C to stop)`);
    await new Promise<void>((resolve) => process.once('SIGINT', () => resolve()));
    await srv.close();
    return 0;
  },
});

export { PORT, HOST };
