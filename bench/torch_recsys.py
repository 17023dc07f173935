#!/usr/bin/python3
"""PyTorch reference for `dfa bench recsys`: training samples/s of DeepFM and Deep&Cross, BP and
DFA, built as ours are (src/suites/recsys/models; torchfm's models), in plain PyTorch.

Models (torchfm layout, as src/suites/recsys/models/{deepfm,dcn,model}.ts on the core MLP):
  DeepFM : FeaturesLinear (1-wide table, N(0, 0.01), + bias) + FM term + MLP 400-400-400 over the
           39 fields x embedding 10; MLP block = Linear -> BatchNorm1d -> ReLU -> Dropout(0.5),
           then Linear(400, 1).
  DCN    : embedding 16; 6 cross layers x_{l+1} = x0 * (x_l . w_l) + b_l + x_l beside an MLP
           1024-1024 (dropout 0) over x0; Linear on [cross, mlp].
  Tables are nn.Embedding(sparse=True) (xavier_uniform_) stepped by torch.optim.SparseAdam;
  dense parameters by torch.optim.Adam(lr=1e-4) without weight decay, as the paper's recsys.py;
  Deep&Cross's gradients clipped at global norm 100 (recsys.py), as ours. Loss: BCE with logits (mean).
  Difference: ours also applies the 1e-6 L2 decay to the embedding rows a step touches;
  SparseAdam has no weight decay (a few flops per touched row).

DFA (TinyDFA semantics, as ../shared/anchors/torch_mlp.py writes it): e = dL/dlogits [B, 1] taken
analytically ((sigmoid - y) / B); one random B ~ U(-1, 1) of shape (1, max width), point h of
width w gets e . B[:, :w] / sqrt(widest) (TinyDFA's normalization, as bench/recsys.ts's Feedback). Feedback
points: after each MLP block (after ReLU/dropout), and for DCN after the embedding (x0) and after
every cross layer. The next block consumes h.detach(), so no W^T.delta products are computed;
the output layer gets its true gradient. DeepFM's MLP input is detached under DFA (its embeddings
learn through FM + linear only); DCN's embeddings learn from the DFA signal at x0. One backward:
torch.autograd.backward([loss, h_1, ..., h_k], [None, signal_1, ..., signal_k]).

Data: random in-memory batches (a pool of 8 per configuration): per-field index
floor(dim * u^skew), u ~ U(0, 1) (skew 4 = the Zipf-like head of our synthetic generator, 1 =
uniform), random 0/1 labels. Field cardinalities: --field-dims (bench/recsys.ts passes those of
its synthetic cache), else 13 fields of 40 and 26 of 5000. Ours streams its file instead, so our
samples/s includes data streaming; this script's does not.

Timing: 2 warm-up steps, then --seconds per configuration split into --windows windows; reported:
median over the windows of samples/s (and ms/step). A step = zero_grad + forward + loss +
backward + both optimizer steps.

  /usr/bin/python3 bench/torch_recsys.py --models deepfm,dcn --methods bp,dfa --batch-sizes 512,2048 [--json out.json]
  /usr/bin/python3 bench/torch_recsys.py --check     # DFA gradients against e.B and BP, tiny batch
"""
import os
import sys

# The anchors' process settings (see ../shared/anchors/torch_mlp.py): set before torch/glibc start.
TUNED = {"OMP_WAIT_POLICY": "PASSIVE", "MALLOC_MMAP_MAX_": "0",
         "MALLOC_TRIM_THRESHOLD_": str(16 * 1024 ** 3), "MALLOC_TOP_PAD_": str(1024 ** 3)}
if os.environ.get("DFA_RECSYS_ENV_DONE") != "1":
    env = dict(os.environ, DFA_RECSYS_ENV_DONE="1")
    for k, v in TUNED.items():
        env.setdefault(k, v)
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)

import argparse  # noqa: E402
import json  # noqa: E402
import math  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

try:
    import torch  # noqa: E402
    import torch.nn as nn  # noqa: E402
    import torch.nn.functional as F  # noqa: E402
except ImportError:
    print("PyTorch is missing for this interpreter. Install it with: apt-get install -y python3-torch\n"
          "(then run with /usr/bin/python3)", file=sys.stderr)
    sys.exit(2)

DEFAULT_FIELD_DIMS = [40] * 13 + [5000] * 26
DROPOUT = {"deepfm": 0.5, "dcn": 0.0}  # src/suites/recsys/paper.ts, same for bp and dfa


class FeaturesLinear(nn.Module):
    """torchfm FeaturesLinear: a 1-wide table summed over the fields, plus a bias."""

    def __init__(self, total):
        super().__init__()
        self.fc = nn.Embedding(total, 1, sparse=True)
        nn.init.normal_(self.fc.weight, 0.0, 0.01)  # as ours (torchfm keeps N(0, 1))
        self.bias = nn.Parameter(torch.zeros(1))

    def forward(self, x):
        return self.fc(x).sum(1) + self.bias


class FeaturesEmbedding(nn.Embedding):
    def __init__(self, total, dim):
        super().__init__(total, dim, sparse=True)
        nn.init.xavier_uniform_(self.weight)


class MLP(nn.Module):
    """torchfm MultiLayerPerceptron without its output layer. With `pts` (DFA), every block's
    output is a feedback point: appended to pts, the next block consumes it detached."""

    def __init__(self, din, dims, dropout):
        super().__init__()
        blocks, d = [], din
        for w in dims:
            blocks.append(nn.Sequential(nn.Linear(d, w), nn.BatchNorm1d(w), nn.ReLU(), nn.Dropout(dropout)))
            d = w
        self.blocks = nn.ModuleList(blocks)

    def forward(self, x, pts=None):
        for blk in self.blocks:
            x = blk(x)
            if pts is not None:
                pts.append(x)
                x = x.detach()
        return x


class RecsysBase(nn.Module):
    def __init__(self, field_dims):
        super().__init__()
        self.num_fields = len(field_dims)
        offs, s = [], 0
        for d in field_dims:
            offs.append(s)
            s += d
        self.total = s
        self.register_buffer("offsets", torch.tensor(offs, dtype=torch.long))

    def sparse_params(self):
        return [m.weight for m in self.modules() if isinstance(m, nn.Embedding)]

    def dense_params(self):
        sp = {id(p) for p in self.sparse_params()}
        return [p for p in self.parameters() if id(p) not in sp]


class DeepFM(RecsysBase):
    def __init__(self, field_dims, embed_dim=10, mlp_dims=(400, 400, 400), dropout=0.5):
        super().__init__(field_dims)
        self.embed_dim = embed_dim
        self.linear = FeaturesLinear(self.total)
        self.embedding = FeaturesEmbedding(self.total, embed_dim)
        self.mlp = MLP(self.num_fields * embed_dim, mlp_dims, dropout)
        self.top = nn.Linear(mlp_dims[-1], 1)

    def forward(self, x, pts=None):
        x = x + self.offsets
        e = self.embedding(x)  # [B, F, D]
        s = e.sum(1)
        fm = 0.5 * (s * s - (e * e).sum(1)).sum(1, keepdim=True)
        flat = e.view(x.shape[0], -1)
        if pts is not None:
            flat = flat.detach()  # DFA: the embeddings learn through FM + linear only
        return self.linear(x) + fm + self.top(self.mlp(flat, pts))


class CrossNetwork(nn.Module):
    def __init__(self, dim, num_layers):
        super().__init__()
        self.w = nn.ModuleList(nn.Linear(dim, 1, bias=False) for _ in range(num_layers))
        self.b = nn.ParameterList(nn.Parameter(torch.zeros(dim)) for _ in range(num_layers))

    def forward(self, x0, pts=None):
        x = x0
        for w, b in zip(self.w, self.b):
            x = x0 * w(x) + b + x
            if pts is not None:
                pts.append(x)
                x = x.detach()
        return x


class DCN(RecsysBase):
    def __init__(self, field_dims, embed_dim=16, cross_layers=6, mlp_dims=(1024, 1024), dropout=0.0):
        super().__init__(field_dims)
        din = self.num_fields * embed_dim
        self.embedding = FeaturesEmbedding(self.total, embed_dim)
        self.cross = CrossNetwork(din, cross_layers)
        self.mlp = MLP(din, mlp_dims, dropout)
        self.top = nn.Linear(din + mlp_dims[-1], 1)

    def forward(self, x, pts=None):
        x0 = self.embedding(x + self.offsets).view(x.shape[0], -1)
        if pts is not None:
            pts.append(x0)  # DFA point on the embeddings
            x0 = x0.detach()
        return self.top(torch.cat([self.cross(x0, pts), self.mlp(x0, pts)], dim=1))


def build(model, field_dims, dropout=None, seed=0):
    torch.manual_seed(seed)
    p = DROPOUT[model] if dropout is None else dropout
    return DeepFM(field_dims, dropout=p) if model == "deepfm" else DCN(field_dims, dropout=p)


class DFAFeedback:
    """One B ~ U(-1, 1) of shape (1, max width); point of width w gets e . B[:, :w] / sqrt(max width)."""

    def __init__(self, max_width, seed=0):
        g = torch.Generator().manual_seed(seed + 1000)
        self.B = torch.rand(1, max_width, generator=g) * 2 - 1
        self.slices = {}
        self.norm = math.sqrt(max_width)

    def signal(self, e, width):
        s = self.slices.get(width)
        if s is None:
            s = self.slices[width] = (self.B[:, :width] / self.norm).contiguous()
        return e @ s  # [B, 1] x [1, w]


def max_point_width(m):
    if isinstance(m, DeepFM):
        return max(blk[0].out_features for blk in m.mlp.blocks)
    return max(m.top.in_features - m.mlp.blocks[-1][0].out_features, *(blk[0].out_features for blk in m.mlp.blocks))


def step_bp(m, x, y, fb):
    loss = F.binary_cross_entropy_with_logits(m(x), y)
    loss.backward()
    return loss


def step_dfa(m, x, y, fb, retain=False):
    pts = []
    logits = m(x, pts)
    loss = F.binary_cross_entropy_with_logits(logits, y)
    with torch.no_grad():
        e = (torch.sigmoid(logits) - y) / y.shape[0]  # dL/dlogits of the mean BCE
        sig = [fb.signal(e, h.shape[1]) for h in pts]
    torch.autograd.backward([loss] + pts, [None] + sig, retain_graph=retain)
    return loss


STEPS = {"bp": step_bp, "dfa": step_dfa}


def make_batches(field_dims, batch, n, skew, seed=0):
    g = torch.Generator().manual_seed(seed)
    dims = torch.tensor(field_dims, dtype=torch.float64)
    xs, ys = [], []
    for _ in range(n):
        u = torch.rand(batch, len(field_dims), generator=g, dtype=torch.float64)
        xs.append(torch.minimum((dims * u ** skew).long(), torch.tensor(field_dims) - 1))
        ys.append(torch.randint(0, 2, (batch, 1), generator=g).float())
    return xs, ys


def bench_config(model, method, batch, field_dims, args):
    m = build(model, field_dims)
    m.train()
    fb = DFAFeedback(max_point_width(m))
    sparse = torch.optim.SparseAdam(m.sparse_params(), lr=1e-4)
    dense = torch.optim.Adam(m.dense_params(), lr=1e-4)
    clip = list(m.dense_params()) if model == "dcn" else None
    xs, ys = make_batches(field_dims, batch, 8, args.skew)
    fn = STEPS[method]
    it = [0]

    def step():
        i = it[0] = (it[0] + 1) % len(xs)
        sparse.zero_grad(set_to_none=True)
        dense.zero_grad(set_to_none=True)
        loss = fn(m, xs[i], ys[i], fb)
        if clip is not None:  # the paper clips Deep&Cross (sparse embedding gradients: left out of the norm here)
            torch.nn.utils.clip_grad_norm_(clip, 100.0)
        sparse.step()
        dense.step()
        return loss

    for _ in range(2):  # warm-up, as ours
        loss = step()
    if not math.isfinite(loss.item()):
        raise RuntimeError(f"{model}/{method}: loss is {loss.item()}")
    win_s = args.seconds / args.windows
    wins = []
    for _ in range(args.windows):
        t0, k = time.perf_counter(), 0
        while k < 1 or time.perf_counter() - t0 < win_s:
            step()
            k += 1
        wins.append((time.perf_counter() - t0) / k)
    s = statistics.median(wins)
    return {"model": model, "method": method, "batch": batch, "samplesPerSec": batch / s, "msPerStep": 1e3 * s,
            "windows": len(wins), "stepsPerWindowMs": [1e3 * w for w in wins]}


# --- check ---------------------------------------------------------------------------------------
def close(a, b, what, tol=1e-5):
    err = (a - b).abs().max().item()
    scale = max(1.0, b.abs().max().item())
    ok = err <= tol * scale
    print(f"  {'ok ' if ok else 'BAD'} {what}: max |diff| {err:.2e}")
    return ok


def check():
    torch.set_num_threads(1)
    dims = [3, 5, 7, 4, 6]
    ok = True
    for model in ("dcn", "deepfm"):
        print(f"{model}:")
        x, y = make_batches(dims, 16, 1, 1.0, seed=3)
        x, y = x[0], y[0]
        m_dfa, m_bp = build(model, dims), build(model, dims)
        m_bp.load_state_dict(m_dfa.state_dict())
        fb = DFAFeedback(max_point_width(m_dfa))
        # DFA step, keeping the points' gradients
        torch.manual_seed(7)  # dropout masks (DeepFM) as the BP step's
        pts = []
        logits = m_dfa(x, pts)
        loss = F.binary_cross_entropy_with_logits(logits, y)
        for h in pts:
            h.retain_grad()
        e = ((torch.sigmoid(logits) - y) / y.shape[0]).detach()
        e_ref, = torch.autograd.grad(loss, logits, retain_graph=True)
        ok &= close(e, e_ref, "e = (sigmoid - y)/B equals autograd's dL/dlogits")
        sig = [fb.signal(e, h.shape[1]) for h in pts]
        torch.autograd.backward([loss] + pts, [None] + sig)
        B = fb.B
        for i in (0, len(pts) - 1):
            w = pts[i].shape[1]
            ok &= close(pts[i].grad, e @ B[:, :w] / math.sqrt(B.shape[1]), f"gradient at point {i + 1}/{len(pts)} (width {w}) equals e.B[:, :{w}]/sqrt({B.shape[1]})")
        # a parameter just before a point gets exactly that point's signal, nothing from later layers
        if model == "dcn":
            ok &= close(m_dfa.cross.b[0].grad, sig[1].sum(0), "cross layer 1 bias gradient = sum_batch e.B")
            emb = m_dfa.embedding.weight.grad.coalesce().to_dense()
            ref = torch.zeros_like(emb).index_add_(0, (x + m_dfa.offsets).reshape(-1), sig[0].reshape(-1, emb.shape[1]))
            ok &= close(emb, ref, "embedding gradient = DFA signal at x0 scattered to its rows")
        else:
            emb = m_dfa.embedding.weight.grad.coalesce().to_dense()
            xe = m_bp.embedding(x + m_bp.offsets)
            s = xe.sum(1)
            fm = 0.5 * (s * s - (xe * xe).sum(1)).sum(1, keepdim=True)
            ref, = torch.autograd.grad(fm, m_bp.embedding.weight, grad_outputs=e)
            ok &= close(emb, ref.coalesce().to_dense(), "embedding gradient = FM term's true gradient only")
        # the output layer (and, in DeepFM, linear + FM) get their true gradient: equal to BP's
        torch.manual_seed(7)
        F.binary_cross_entropy_with_logits(m_bp(x), y).backward()
        ok &= close(m_dfa.top.weight.grad, m_bp.top.weight.grad, "output layer weight gradient equals BP's")
        ok &= close(m_dfa.top.bias.grad, m_bp.top.bias.grad, "output layer bias gradient equals BP's")
        if model == "deepfm":
            ok &= close(m_dfa.linear.fc.weight.grad.coalesce().to_dense(), m_bp.linear.fc.weight.grad.coalesce().to_dense(), "FeaturesLinear gradient equals BP's")
        # and the first MLP layer's gradient differs from BP's (it learns by DFA, not backprop)
        d = (m_dfa.mlp.blocks[0][0].weight.grad - m_bp.mlp.blocks[0][0].weight.grad).abs().max().item()
        print(f"  {'ok ' if d > 1e-6 else 'BAD'} first MLP layer's gradient differs from BP's (max |diff| {d:.2e})")
        ok &= d > 1e-6
    print("check passed" if ok else "CHECK FAILED")
    return 0 if ok else 1


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--models", default="deepfm,dcn")
    p.add_argument("--methods", default="bp,dfa")
    p.add_argument("--batch-sizes", default="512,2048")
    p.add_argument("--seconds", type=float, default=20.0, help="timed seconds per configuration")
    p.add_argument("--windows", type=int, default=5, help="timing windows per configuration (median)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--field-dims", help="comma-separated per-field cardinalities (default 13 x 40, 26 x 5000)")
    p.add_argument("--skew", type=float, default=4.0, help="index = floor(dim * u^skew); 1 = uniform")
    p.add_argument("--json")
    p.add_argument("--check", action="store_true", help="verify the DFA gradients on a tiny batch and exit")
    a = p.parse_args()
    if a.check:
        return check()
    torch.set_num_threads(a.threads)
    models = [s for s in a.models.split(",") if s]
    methods = [s for s in a.methods.split(",") if s]
    for s in models:
        if s not in DROPOUT:
            p.error(f"--models takes deepfm and dcn, got '{s}'")
    for s in methods:
        if s not in STEPS:
            p.error(f"--methods takes bp and dfa, got '{s}'")
    batches = [int(s) for s in a.batch_sizes.split(",") if s]
    field_dims = [int(s) for s in a.field_dims.split(",")] if a.field_dims else DEFAULT_FIELD_DIMS
    if any(d < 1 for d in field_dims):
        p.error("--field-dims: every field needs at least one index")
    configs = []
    for model in models:
        for method in methods:
            for bs in batches:
                r = bench_config(model, method, bs, field_dims, a)
                print(f"  torch {model}/{method} batch {bs}: {r['samplesPerSec']:.0f} samples/s ({r['msPerStep']:.1f} ms/step)", file=sys.stderr)
                configs.append(r)
    print(f"PyTorch {torch.__version__}, {torch.get_num_threads()} threads, {len(field_dims)} fields, {sum(field_dims)} table rows, "
          f"random in-memory batches, median of {a.windows} windows over {a.seconds:g} s")
    print(f"{'model':>7} {'method':>6} {'batch':>6} {'samples/s':>10} {'ms/step':>9}")
    for r in configs:
        print(f"{r['model']:>7} {r['method']:>6} {r['batch']:>6} {r['samplesPerSec']:>10.0f} {r['msPerStep']:>9.2f}")
    doc = {"benchmark": "torch-recsys", "torch": torch.__version__, "threads": torch.get_num_threads(),
           "fieldDims": field_dims, "skew": a.skew, "seconds": a.seconds, "windows": a.windows,
           "data": "random in-memory batches (pool of 8)", "configs": configs}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(doc, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
