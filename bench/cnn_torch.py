#!/usr/bin/python3
"""PyTorch reference for `dfa bench cnn`: training step time of two small CNNs, BP / DFA / shallow,
Adam (lr 1e-3), batch 128, the same networks as bench/cnn.ts builds with src/tasks/convnet.ts.

  lenet : 28x28x1; conv 5x5 6 'same' -> ReLU -> maxpool 2; conv 5x5 16 'valid' -> ReLU -> maxpool 2;
          fc 400-120-84-10 (ReLU)
  vgg   : 32x32x3; conv 3x3 32, conv 3x3 32 -> maxpool 2, conv 3x3 64, conv 3x3 64 -> maxpool 2
          ('same' padding, ReLU after each conv); fc 4096-256-10 (ReLU)

PyTorch runs its natural NCHW layout (ours is NHWC); weights from PyTorch's default init.

DFA (TinyDFA semantics, as ../shared/anchors/torch_mlp.py): e = dL/dlogits taken analytically
((softmax - onehot) / N); one B ~ U(-1, 1) of shape (10, F), F = the widest feedback point; the
point of width w gets e @ B[:, :w] / sqrt(F). Points: after every conv block (after its pool), and
after every hidden dense layer. --conv-feedback flat (default): a conv point is the flattened map
[N, C*H*W] (width C*H*W); channel: a conv point gets e @ B[:, :C] / sqrt(F) broadcast over its
positions (width C). The next block consumes h.detach() (no input-gradient convolution or W^T.delta);
one backward: torch.autograd.backward([loss, h_1, ...], [None, signal_1, ...]).
Shallow: every hidden block runs under no_grad; only the output layer trains.

A step = zero_grad + forward + loss + backward + optimizer.step. Timing as torch_mlp.py: warm-up
until the heap settles, then --windows interleaved windows of ~--window-s seconds (modes in turn),
median of the per-window mean.

  /usr/bin/python3 bench/cnn_torch.py --nets lenet,vgg --modes bp,dfa,shallow [--json out.json]
"""
import os
import sys

# The anchors' process settings (../shared/anchors/torch_mlp.py): set before torch/glibc start.
TUNED = {"OMP_WAIT_POLICY": "PASSIVE", "MALLOC_MMAP_MAX_": "0",
         "MALLOC_TRIM_THRESHOLD_": str(16 * 1024 ** 3), "MALLOC_TOP_PAD_": str(1024 ** 3)}
if os.environ.get("DFA_CNN_ENV_DONE") != "1":
    env = dict(os.environ, DFA_CNN_ENV_DONE="1")
    for k, v in TUNED.items():
        env.setdefault(k, v)
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import resource  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

try:
    import torch  # noqa: E402
    import torch.nn as nn  # noqa: E402
    import torch.nn.functional as F  # noqa: E402
except ImportError:
    print("PyTorch is missing for this interpreter: apt-get install -y python3-torch (run with /usr/bin/python3)", file=sys.stderr)
    sys.exit(2)

# (input C, H, W), conv blocks (out channels, kernel, padding, pool), dense hidden widths
NETS = {
    "lenet": ((1, 28, 28), [(6, 5, 2, True), (16, 5, 0, True)], [120, 84]),
    "vgg": ((3, 32, 32), [(32, 3, 1, False), (32, 3, 1, True), (64, 3, 1, False), (64, 3, 1, True)], [256]),
}


class Net(nn.Module):
    def __init__(self, name, conv_feedback, seed=0, classes=10):
        super().__init__()
        torch.manual_seed(seed)
        (c, h, w), convs, hidden = NETS[name]
        self.pools, self.convs, self.widths = [], nn.ModuleList(), []
        for co, k, p, pool in convs:
            self.convs.append(nn.Conv2d(c, co, k, padding=p))
            self.pools.append(pool)
            h, w, c = h + 2 * p - k + 1, w + 2 * p - k + 1, co
            if pool:
                h, w = h // 2, w // 2
            self.widths.append(c * h * w if conv_feedback == "flat" else c)
        dims = [c * h * w] + hidden
        self.fcs = nn.ModuleList(nn.Linear(a, b) for a, b in zip(dims[:-1], dims[1:]))
        self.widths += hidden
        self.out = nn.Linear(dims[-1], classes)
        self.conv_feedback = conv_feedback
        self.F = max(self.widths)
        g = torch.Generator().manual_seed(seed + 1000)
        self.B = torch.rand(classes, self.F, generator=g) * 2 - 1

    def conv_block(self, i, h):
        h = F.relu(self.convs[i](h))
        return F.max_pool2d(h, 2) if self.pools[i] else h

    def forward_bp(self, x):
        h = x
        for i in range(len(self.convs)):
            h = self.conv_block(i, h)
        h = h.flatten(1)
        for fc in self.fcs:
            h = F.relu(fc(h))
        return self.out(h)


def ce_error(logits, y):
    with torch.no_grad():
        e = torch.softmax(logits, dim=1)
        e[torch.arange(len(y)), y] -= 1.0
        return e / len(y)


def grads_bp(m, x, y):
    F.cross_entropy(m.forward_bp(x), y).backward()


def grads_dfa(m, x, y):
    pts, h = [], x
    for i in range(len(m.convs)):
        h = m.conv_block(i, h.detach())  # detached input: no input-gradient convolution
        pts.append(h)
    h = h.flatten(1)
    for fc in m.fcs:
        h = F.relu(fc(h.detach()))
        pts.append(h)
    logits = m.out(h.detach())
    loss = F.cross_entropy(logits, y)
    rp = ce_error(logits, y) @ m.B / math.sqrt(m.F)  # one projection serves every point
    sig = []
    for h in pts:
        if h.dim() == 4 and m.conv_feedback == "channel":
            sig.append(rp[:, :h.shape[1], None, None].expand_as(h))
        else:
            sig.append(rp[:, :h[0].numel()].reshape(h.shape))
    torch.autograd.backward([loss] + pts, [None] + sig)


def grads_shallow(m, x, y):
    with torch.no_grad():
        h = x
        for i in range(len(m.convs)):
            h = m.conv_block(i, h)
        h = h.flatten(1)
        for fc in m.fcs:
            h = F.relu(fc(h))
    F.cross_entropy(m.out(h), y).backward()


GRADS = {"bp": grads_bp, "dfa": grads_dfa, "shallow": grads_shallow}


def minflt():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def cpu_snap():
    with open("/proc/stat") as f:
        v = [int(t) for t in f.readline().split()[1:]]
    t = os.times()
    return time.perf_counter(), (v[0] + v[1] + v[2] + v[5] + v[6]) / os.sysconf("SC_CLK_TCK"), t.user + t.system


def foreign_share(s0, s1):
    return max(0.0, ((s1[1] - s0[1]) - (s1[2] - s0[2])) / ((s1[0] - s0[0]) * (os.cpu_count() or 1)))


def timed_window(step, n, max_foreign=0.10, tries=3):
    best = None
    for _ in range(tries):
        s0 = cpu_snap()
        t0 = time.perf_counter()
        for _ in range(n):
            step()
        r = {"s": (time.perf_counter() - t0) / n, "foreign": foreign_share(s0, cpu_snap())}
        if best is None or r["foreign"] < best["foreign"]:
            best = r
        if r["foreign"] < max_foreign:
            break
    return best


def warm_up(step, min_steps=5, max_steps=100, fault_limit=2000):
    for i in range(max_steps):
        f0 = minflt()
        step()
        if i + 1 >= min_steps and minflt() - f0 < fault_limit:
            return i + 1
    return max_steps


def bench_net(name, args):
    (c, h, w), _, _ = NETS[name]
    gen = torch.Generator().manual_seed(args.seed)
    xs = [torch.randn(args.batch, c, h, w, generator=gen) for _ in range(4)]
    ys = [torch.randint(0, 10, (args.batch,), generator=gen) for _ in range(4)]
    modes = args.modes.split(",")
    steps = {}
    for mode in modes:
        m = Net(name, args.conv_feedback, seed=args.seed)
        opt = torch.optim.Adam(m.parameters(), lr=1e-3)
        it = [0]

        def step(m=m, opt=opt, fn=GRADS[mode], it=it):
            i = it[0] = (it[0] + 1) % len(xs)
            opt.zero_grad(set_to_none=True)
            fn(m, xs[i], ys[i])
            opt.step()

        warm = warm_up(step)
        t0 = time.perf_counter()
        for _ in range(2):
            step()
        steps[mode] = (step, (time.perf_counter() - t0) / 2, warm)
    wins = {mode: [] for mode in modes}
    ns = {mode: max(2, round(args.window_s / steps[mode][1])) for mode in modes}
    for _ in range(args.windows):
        for mode in modes:
            wins[mode].append(timed_window(steps[mode][0], ns[mode]))
    res = {"net": name, "modes": {}}
    for mode in modes:
        t = [x["s"] for x in wins[mode]]
        res["modes"][mode] = {"median_ms": 1e3 * statistics.median(t), "min_ms": 1e3 * min(t), "max_ms": 1e3 * max(t),
                              "warmup_steps": steps[mode][2], "windows": wins[mode]}
    return res


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--nets", default="lenet,vgg")
    p.add_argument("--modes", default="bp,dfa,shallow")
    p.add_argument("--conv-feedback", choices=["flat", "channel"], default="flat")
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--windows", type=int, default=5)
    p.add_argument("--window-s", type=float, default=1.0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--json")
    args = p.parse_args()
    torch.set_num_threads(args.threads)
    res = {"benchmark": "torch_cnn", "batch": args.batch, "conv_feedback": args.conv_feedback, "results": [],
           "env": {"torch": torch.__version__, "threads": torch.get_num_threads(), "mkldnn": torch.backends.mkldnn.is_available(),
                   **{k: os.environ.get(k) for k in list(TUNED) + ["OMP_NUM_THREADS"]}}}
    for name in args.nets.split(","):
        r = bench_net(name, args)
        res["results"].append(r)
        for mode, v in r["modes"].items():
            print(f"{name:6} {mode:8} {v['median_ms']:8.2f} ms/step ({v['min_ms']:.2f}-{v['max_ms']:.2f})", flush=True)
    if args.json:
        with open(args.json, "w") as f:
            json.dump(res, f, indent=1)


if __name__ == "__main__":
    main()
