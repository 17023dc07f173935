/** Entry point of the `dfa` command: dispatches to a sub-command in commands/. */
import { dispatch } from './dispatch';

try {
  process.exitCode = await dispatch(process.argv.slice(2));
} catch (e) {
  const err = e as Error;
  console.error(`dfa: ${err.message}`);
  if (process.env.DFA_DEBUG) console.error(err.stack);
  process.exitCode = 1;
}
