/**
 * Per-kernel time of one `dfa bench cnn` training step (forward, backward per method, Adam), from
 * tf.profile, aggregated by kernel name (or name and input shapes), plus the step's wall time and
 * the part spent outside kernels.
 *   node --import tsx bench/profile_cnn.ts [--net lenet|vgg] [--method bp|dfa|shallow]
 *     [--conv-feedback flat|channel] [--steps 5] [--top 20] [--shapes]
 */
import { initBackend, backendName } from '../src/engine/backend';
import { defineCommand } from '../src/command/command';
import { isScript, runScript } from './options';
import { METHODS } from '../src/feedback/methods';
import type { ConvFeedback } from '../src/tasks/convnet';
import { makeCnnStep, type CnnName } from './cnn';
import { profileKernels, printKernelRows } from './profile_kernels';

export const command = defineCommand({
  name: 'profile cnn',
  invocation: 'node --import tsx bench/profile_cnn.ts',
  summary: 'Per-kernel time of one `dfa bench cnn` training step (forward, backward per method, Adam), from tf.profile, plus the wall time outside kernels.',
  options: {
    net: { type: 'enum', choices: ['lenet', 'vgg'], default: 'lenet', help: 'network' },
    method: { type: 'enum', choices: METHODS, default: 'bp', help: 'training method' },
    'conv-feedback': { type: 'enum', choices: ['flat', 'channel'], default: 'flat', help: "the direct methods' feedback to conv layers" },
    steps: { type: 'int', min: 1, default: 5, help: 'profiled steps' },
    top: { type: 'int', min: 1, default: 20, help: 'kernels listed' },
    shapes: { type: 'flag', help: 'aggregate by kernel name and input shapes' },
  },
  async run({ options: o }) {
    const net = o.net as CnnName, method = o.method, convFeedback = o['conv-feedback'] as ConvFeedback;
    const { steps, top, shapes: byShape } = o;
    await initBackend();
    const s = makeCnnStep(net, method, convFeedback);
    for (let i = 0; i < 3; i++) s.step(); // warm-up: buffer pool and JIT
    const p = await profileKernels(s.step, steps, byShape);
    s.dispose();
    console.log(`${net} ${method} (${convFeedback}) on ${backendName()}: ${p.plainMs.toFixed(2)} ms/step unprofiled, ${p.kernelMs.toFixed(2)} ms in ${p.kernelsPerStep} kernels (profiled step ${p.profiledMs.toFixed(2)} ms)`);
    printKernelRows(p, top);
  },
});

if (isScript(import.meta.url)) await runScript(command);
