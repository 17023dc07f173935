/**
 * Per-kernel time of one `dfa bench cnn` training step (forward, backward per method, Adam), from
 * tf.profile, aggregated by kernel name (or name and input shapes), plus the step's wall time and
 * the part spent outside kernels.
 *   node --import tsx bench/profile_cnn.ts [--net lenet|vgg] [--method bp|dfa|shallow]
 *     [--conv-feedback flat|channel] [--steps 5] [--top 20] [--shapes]
 */
import { initBackend, backendName } from '../src/engine/backend';
import { parseArgs, Options } from '../src/cli/args';
import { makeCnnStep } from './cnn';
import { profileKernels, printKernelRows } from './profile_kernels';

const o = new Options(parseArgs(process.argv.slice(2)).options, 'profile cnn');
const net = o.str('net', 'lenet');
if (net !== 'lenet' && net !== 'vgg') throw new Error(`profile cnn: --net must be lenet or vgg, got '${net}'`);
const method = o.str('method', 'bp');
const convFeedback = o.str('conv-feedback', 'flat');
if (convFeedback !== 'flat' && convFeedback !== 'channel') throw new Error(`profile cnn: --conv-feedback must be flat or channel, got '${convFeedback}'`);
const steps = o.int('steps', 5), top = o.int('top', 20);
const byShape = o.flag('shapes');
o.done();
await initBackend();
const s = makeCnnStep(net, method, convFeedback);
for (let i = 0; i < 3; i++) s.step(); // warm-up: buffer pool and JIT
const p = await profileKernels(s.step, steps, byShape);
s.dispose();
console.log(`${net} ${method} (${convFeedback}) on ${backendName()}: ${p.plainMs.toFixed(2)} ms/step unprofiled, ${p.kernelMs.toFixed(2)} ms in ${p.kernelsPerStep} kernels (profiled step ${p.profiledMs.toFixed(2)} ms)`);
printKernelRows(p, top);
