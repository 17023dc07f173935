// Loaded before every test file (scripts/test.mjs passes it with --import): selects the backend
// the way the CLI does, so the whole suite runs on 'native', or on 'cpu' with DFA_BACKEND=cpu.
import { initBackend } from '../src/engine/backend';
await initBackend();
