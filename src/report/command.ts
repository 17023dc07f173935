/**
 * `dfa reproduce paper`: every table and figure of the paper at one budget, through the wings'
 * tables (their Experiments: runs stored and reused), written as one self-contained HTML page and
 * its Markdown twin.
 */
import { existsSync, statSync } from 'node:fs';
import { defineCommand } from '../command/command';
import { UsageError } from '../command/options';
import { parseQueueUrl } from '../command/queue/url';
import { BUDGETS, type Budget } from '../suites/types';
import { buildReport } from './build';
import { PART_SLUGS } from './parts';
import { PAPER_SUMMARY } from './summary';


export const PAPER_COMMAND = defineCommand({
  name: 'reproduce paper',
  summary: PAPER_SUMMARY,
  description: `Runs every table of the paper (1, 2, 3, 4, 5, A.1-A.5, Fig. 2, Fig. A.1) through its wing's
'dfa reproduce' table at the budget each wing states for it, then writes DIR/index.html (one
page: inline CSS, images as data: URIs, opens offline) and DIR/report.md (+ figures/, tables/):
ours (mean ± std, seeds) beside the paper's value and the difference, each cell marked within /
outside the tolerance its wing states, the wings' verdicts beside the cells, the figures, and the
environment and time of every table.
Budgets: tiny (a pipeline check, seconds per table: numbers mean nothing), quick (about 30 min on
a 2-core machine), standard (about 8 hours of one core; the numbers to weigh). Each run is kept in
--runs and reused by the next sitting; --from DIR reuses the runs of earlier sittings (any budget):
a table whose richer budget is wholly stored there is shown at that budget, nothing run; rows a
richer budget has finished (every seed) replace the asked budget's rows, and rows the asked budget
lacks (DNAConv at quick) are taken from it as far as they go (the page says which).
Example: dfa reproduce paper --budget quick --from /work/runs/standard --out docs/reproduction`,
  options: {
    budget: { type: 'enum', choices: BUDGETS, default: 'quick', help: 'the budget of every table (each wing states its tables\' options per budget)' },
    from: { type: 'list', of: 'string', placeholder: 'DIR,…', help: 'run stores of earlier sittings (--runs folders of any budget) to reuse, run by run' },
    runs: { type: 'path', kind: 'out-dir', default: 'runs/paper', help: "where this sitting keeps each run (DIR/<table group>/) and the tables' own outputs (DIR/_out/)" },
    out: { type: 'path', kind: 'out-dir', default: 'out/paper', help: 'the report: DIR/index.html, DIR/report.md, DIR/figures/, DIR/tables/' },
    parts: { type: 'list', of: 'enum', choices: PART_SLUGS, help: 'only these parts (default all)' },
    'stored-only': { type: 'flag', help: 'run nothing: build the page from the stored runs (cells not stored say so)' },
    queue: { type: 'string', placeholder: 'redis://HOST:PORT', help: "run the tables' runs on the workers of this job queue ('dfa worker')" },
  },
  validate({ options: o }) {
    for (const d of o.from ?? []) {
      if (!existsSync(d) || !statSync(d).isDirectory()) throw new UsageError(`dfa reproduce paper: --from: '${d}' is not a folder`);
    }
    if (o.queue !== undefined) parseQueueUrl(o.queue, 'dfa reproduce paper');
  },
  async run({ options: o }) {
    await (await import('../engine/backend')).initBackend();
    const command = ['dfa reproduce paper --budget', o.budget, ...(o.from?.length ? ['--from', o.from.join(',')] : []), '--runs', o.runs, '--out', o.out,
      ...(o.parts ? ['--parts', o.parts.join(',')] : []), ...(o['stored-only'] ? ['--stored-only'] : []), ...(o.queue ? ['--queue', parseQueueUrl(o.queue).label] : [])].join(' '); // the page never shows a queue's password
    const r = await buildReport({
      budget: o.budget as Budget, out: o.out, runs: o.runs, from: o.from ?? [], parts: o.parts, storedOnly: o['stored-only'], queue: o.queue, command,
    });
    const st = r.page.sitting;
    const failed = r.page.sources.filter((s) => s.error);
    console.log(`\nwrote ${r.files.html} and ${r.files.markdown}: ${r.page.sections.length} parts, ${r.page.sources.length} tables; ${st.wall.toFixed(0)} s wall, ${st.cpu.toFixed(0)} s CPU`);
    if (failed.length) console.error(`${failed.length} table(s) could not be produced (the page says why): ${failed.map((s) => `${s.table}: ${s.error}`).join('; ')}`);
    return 0;
  },
});
