/** `dfa reproduce paper`'s one line, for the table list of `dfa reproduce --help` (which must not load the report). */
export const PAPER_SUMMARY = 'the whole paper: every table and figure at one budget, as one self-contained HTML page + Markdown (src/report)';
