/** `dfa bench <engine|mlp>`: speed beside PyTorch on the same machine, printed and as JSON. */
import { parseArgs, Options } from '../src/cli/args';

export const help = `usage: dfa bench <engine|mlp|gcn|transformer|recsys|cnn|nerf|projection|queue> [options]

  engine   GEMM GFLOPS of tf.matMul on our backend beside torch.mm
           --sizes 256,512,1024,2048  --windows 5  --window-s 0.5
  mlp      training step of the MLP 784 → 1024×k → 10 (tanh, batch 128) for BP, DFA and shallow,
           SGD and Adam, beside ../shared/anchors/torch_mlp.py run in the same invocation
           --depths 2,4,8  --optims sgd,adam  --modes bp,dfa,shallow  --windows 9  --window-s 1

  gcn      GCN training ms/epoch on Cora and CiteSeer (BP, DFA, shallow) beside ../shared/anchors/torch_gcn.py
           --datasets cora,citeseer  --modes bp,dfa,shallow  --windows 9  --window-s 1
  transformer  LM training tokens/s (BP, DFA macro/micro, shallow) beside torch_transformer.py
           --modes bp,macro,micro,shallow  --windows 5  (see bench/transformer.ts for sizes)
  recsys   recommender training samples/s and peak memory (DeepFM, Deep&Cross; BP, DFA; batch 512/2048),
           streaming a 2M-row synthetic Criteo file; memory at 250k/1M/2M rows (see bench/recsys.ts)
           --models deepfm,dcn  --methods bp,dfa  --batch-sizes 512,2048  --rows 2000000
           --stream-rows N (default all)  --checkpoints 250000,1000000  --cache DIR
           --torch-seconds 20 (per configuration of bench/torch_recsys.py)
  cnn      CNN training step (LeNet-5-like 28x28x1, small VGG-like 32x32x3; batch 128, Adam) for BP,
           DFA and shallow beside bench/cnn_torch.py run in the same invocation
           --nets lenet,vgg  --modes bp,dfa,shallow  --conv-feedback flat|channel  --batch 128
           --windows 5  --window-s 1   (where a step's time goes: node --import tsx bench/profile_cnn.ts)

  nerf     NeRF training rays/s (BP, DFA, shallow) and rendering rays/s, Tiny-NeRF and full NeRF, beside
           ../shared/anchors/torch_nerf.py and bench/torch_nerf_render.py; MLP GFLOP/s vs the GEMM peak of the run
           --models tiny,full  --modes bp,dfa,shallow  --windows N (default 5 tiny, 3 full)  --window-s 1.5
           --render-rays N (default 4096 tiny, 1023 full; 0: no rendering)

  projection  memory and ms per call of the direct methods' projection v·B (v [batch, outs]),
           dense (stored matrix, GEMM) vs structured (signs + fast Walsh-Hadamard, no matrix); no PyTorch column
           --widths 1024,2048,4096,8192,16384,32768,65536  --outs 10,1000  --batch 128
           --windows 5  --window-s 0.5  --max-dense-mb 2048

  queue    a grid of short Table 5 runs locally and through the job queue with 1 and 2 workers
           (1 thread each): wall times, the speed-up, the time per job around the runs
           --seeds 2 (11·N runs)  --steps 20  --epochs 2  --workers 1,2   (needs redis-server)

common: --json FILE (write results)  --no-torch (skip the PyTorch column)
Run one benchmark at a time: the machine's cores are shared.`;

export async function run(argv: string[]): Promise<number> {
  const { positional, options } = parseArgs(argv);
  const which = positional[0];
  const o = new Options(options, `dfa bench ${which ?? ''}`.trim());
  const json = o.str('json');
  const torch = !o.flag('no-torch');
  if (which === 'engine') {
    const sizes = o.list('sizes', ['256', '512', '1024', '2048']).map(Number);
    const windows = o.int('windows', 5), windowS = o.num('window-s', 0.5);
    o.done();
    const { benchEngine } = await import('./engine');
    await benchEngine({ sizes, windows, windowS, json, torch });
    return 0;
  }
  if (which === 'mlp') {
    const depths = o.list('depths', ['2', '4', '8']).map(Number);
    const optims = o.list('optims', ['sgd', 'adam']) as Array<'sgd' | 'adam'>;
    const modes = o.list('modes', ['bp', 'dfa', 'shallow']);
    const windows = o.int('windows', 9), windowS = o.num('window-s', 1);
    o.done();
    const { benchMlp } = await import('./mlp');
    await benchMlp({ depths, optims, modes, windows, windowS, json, torch });
    return 0;
  }
  if (which === 'gcn') {
    const datasets = o.list('datasets', ['cora', 'citeseer']) as Array<'cora' | 'citeseer' | 'pubmed'>;
    const modes = o.list('modes', ['bp', 'dfa', 'shallow']) as Array<'bp' | 'dfa' | 'shallow'>;
    const windows = o.int('windows', 9), windowS = o.num('window-s', 1);
    o.done();
    const { benchGcn } = await import('./gcn');
    await benchGcn({ datasets, modes, windows, windowS, json, torch });
    return 0;
  }
  if (which === 'transformer') {
    const { benchTransformer } = await import('./transformer');
    await benchTransformer(argv.slice(1));
    return 0;
  }
  if (which === 'projection') {
    const widths = o.list('widths', ['1024', '2048', '4096', '8192', '16384', '32768', '65536']).map(Number);
    const outs = o.list('outs', ['10', '1000']).map(Number);
    const batch = o.int('batch', 128);
    const windows = o.int('windows', 5), windowS = o.num('window-s', 0.5);
    const maxDenseMb = o.num('max-dense-mb', 2048);
    o.done();
    for (const [k, xs] of [['widths', widths], ['outs', outs]] as const) {
      if (!xs.length || xs.some((x) => !Number.isInteger(x) || x < 1)) throw new Error(`dfa bench projection: --${k} must be positive integers, got ${xs.join(',')}`);
    }
    const { benchProjection } = await import('./projection');
    await benchProjection({ widths, outs, batch, windows, windowS, maxDenseMb, json });
    return 0;
  }
  if (which === 'nerf') {
    const { benchNerf } = await import('./nerf');
    await benchNerf(argv.slice(1));
    return 0;
  }
  if (which === 'cnn') {
    const nets = o.list('nets', ['lenet', 'vgg']) as Array<'lenet' | 'vgg'>;
    for (const n of nets) if (n !== 'lenet' && n !== 'vgg') throw new Error(`dfa bench cnn: --nets takes lenet and/or vgg, got '${n}'`);
    const modes = o.list('modes', ['bp', 'dfa', 'shallow']);
    const convFeedback = o.str('conv-feedback', 'flat');
    if (convFeedback !== 'flat' && convFeedback !== 'channel') throw new Error(`dfa bench cnn: --conv-feedback must be flat or channel, got '${convFeedback}'`);
    const batch = o.int('batch', 128), windows = o.int('windows', 5), windowS = o.num('window-s', 1);
    o.done();
    const { benchCnn } = await import('./cnn');
    await benchCnn({ nets, modes, convFeedback, batch, windows, windowS, json, torch });
    return 0;
  }
  if (which === 'queue') {
    const { run: benchQueue } = await import('./queue');
    return benchQueue(argv.slice(1));
  }
  if (which === 'recsys') {
    const { run: benchRecsys } = await import('./recsys');
    return benchRecsys(argv.slice(1));
  }
  console.error(help);
  return 2;
}
