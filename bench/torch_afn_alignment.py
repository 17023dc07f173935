#!/usr/bin/python3
"""PyTorch cross-check of AFN's DFA alignment (Table A.1), independent of our engine.

Trains torchfm's AFN (embedding 10, LNN 1500, MLP 400-400-400 with BatchNorm, linear part) with
DFA as the paper's code does (TinyDFA: B ~ U(-1, 1) of shape (1, widest), the point of width w
gets e . B[:, :w] / sqrt(widest); points after the LNN and after every MLP block; the next layer
consumes h.detach()), on the rows of our processed cache (`dfa reproduce recsys-synth --cache`),
and measures alignment the way TinyDFA's AlignmentMeasurement does: the same weights run once
with DFA and once with BP on a training batch in train mode, and the gradient arriving at each
module's output (LNN, every Linear, every BatchNorm) is compared per sample by cosine. Both
gradients are computed here directly (no hooks): BP by autograd through the whole model, DFA as
the signal each module receives (for a module below a point, the point's signal carried back
through the ops between them, as TinyDFA's feedback_point.backward(feedback) does).

  /usr/bin/python3 bench/torch_afn_alignment.py --cache /work/tmp-recsys/synthetic-seed0-n2000000-v2 \
      --steps 700 --lr 1e-3 --every 100 [--embeddings dfa|frozen] [--json out.json]

--embeddings frozen reproduces the paper's code, whose DFALayer in front of the LNN is never
registered with the DFA module, so the embeddings get no gradient; dfa (ours) lets the LNN point's
signal reach them. Rows: the cache's first 80 % train (contiguous; the generator's rows are i.i.d.).
"""
import argparse
import json
import math
import sys

try:
    import numpy as np
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
except ImportError:
    print("PyTorch is missing for this interpreter: apt-get install -y python3-torch, run with /usr/bin/python3",
          file=sys.stderr)
    sys.exit(2)


class AFN(nn.Module):
    def __init__(self, field_dims, embed_dim=10, lnn_dim=1500, mlp_dims=(400, 400, 400), dropout=0.0):
        super().__init__()
        total = int(sum(field_dims))
        self.offsets = torch.tensor(np.concatenate([[0], np.cumsum(field_dims)[:-1]]), dtype=torch.long)
        self.lin = nn.Embedding(total, 1)
        nn.init.normal_(self.lin.weight, 0, 0.01)
        self.lin_bias = nn.Parameter(torch.zeros(1))
        self.emb = nn.Embedding(total, embed_dim)
        nn.init.xavier_uniform_(self.emb.weight)
        F_ = len(field_dims)
        self.lnn_w = nn.Parameter(torch.empty(lnn_dim, F_).uniform_(-1 / math.sqrt(F_), 1 / math.sqrt(F_)))
        self.blocks = nn.ModuleList()
        d = lnn_dim * embed_dim
        for w in mlp_dims:
            self.blocks.append(nn.ModuleList([nn.Linear(d, w), nn.BatchNorm1d(w), nn.Dropout(dropout)]))
            d = w
        self.top = nn.Linear(d, 1)

    def forward(self, x, dfa, trace):
        """dfa: cut the graph after each point (TinyDFA's detach); trace: dict name -> tensor whose
        gradient is measured (retain_grad)."""
        x = x + self.offsets
        e = self.emb(x)  # [B, F, D]
        z = torch.matmul(self.lnn_w, torch.log1p(e.abs() + 1e-7))  # [B, L, D]
        h = F.relu(torch.expm1(z)).reshape(x.shape[0], -1)
        pts = []
        self._keep(trace, "lnn", h)
        pts.append(h)
        if dfa:
            h = h.detach().requires_grad_(True)
        for i, (lin, bn, drop) in enumerate(self.blocks):
            a = lin(h)
            self._keep(trace, f"mlp{i + 1}.linear", a)
            b = bn(a)
            self._keep(trace, f"mlp{i + 1}.bn", b)
            h = drop(F.relu(b))
            self._keep(trace, f"mlp{i + 1}", h)
            pts.append(h)
            if dfa:
                h = h.detach().requires_grad_(True)
        out = self.top(h) + self.lin(x).sum(1) + self.lin_bias
        return out, pts

    @staticmethod
    def _keep(trace, name, t):
        if trace is not None:
            t.retain_grad()
            trace[name] = t


class Feedback:
    def __init__(self, widest, seed):
        g = torch.Generator().manual_seed(seed + 1000)
        self.B = (torch.rand(1, widest, generator=g) * 2 - 1) / math.sqrt(widest)

    def signal(self, e, w):
        return e @ self.B[:, :w]


def dfa_backward(model, fb, x, y, trace=None, embeddings="dfa"):
    logits, pts = model(x, True, trace)
    loss = F.binary_cross_entropy_with_logits(logits, y)
    with torch.no_grad():
        e = (torch.sigmoid(logits) - y) / y.shape[0]
    sig = [fb.signal(e, p.shape[1]) for p in pts]
    if embeddings == "frozen":
        model.emb.weight.requires_grad_(False)
    torch.autograd.backward([loss] + pts, [None] + sig)
    model.emb.weight.requires_grad_(True)
    return loss.item()


def cos_rows(a, b):
    a = a.reshape(a.shape[0], -1)
    b = b.reshape(b.shape[0], -1)
    c = F.cosine_similarity(a, b, dim=1, eps=1e-30)
    return float(c.mean()), float(c.std())


def measure(model, fb, x, y):
    """Per module: mean/std of the per-sample cosine between the DFA and BP gradients (train mode)."""
    state = {k: v.clone() for k, v in model.state_dict().items()}  # BatchNorm running stats move
    td, tb = {}, {}
    model.zero_grad()
    dfa_backward(model, fb, x, y, td)
    model.load_state_dict(state)
    model.zero_grad()
    logits, _ = model(x, False, tb)
    F.binary_cross_entropy_with_logits(logits, y).backward()
    model.load_state_dict(state)
    model.zero_grad()
    return {k: cos_rows(td[k].grad, tb[k].grad) for k in td if td[k].grad is not None and tb[k].grad is not None}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", required=True, help="a processed cache folder (rows.i32 + meta.json)")
    ap.add_argument("--steps", type=int, default=700)
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--batch", type=int, default=2048)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--dropout", type=float, default=0.0)
    ap.add_argument("--embeddings", choices=["dfa", "frozen"], default="dfa")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--json")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    meta = json.load(open(f"{a.cache}/meta.json"))
    dims = meta["fieldDims"]
    rows = np.memmap(f"{a.cache}/rows.i32", dtype=np.int32, mode="r").reshape(-1, len(dims) + 1)
    n_train = int(len(rows) * 0.8)
    model = AFN(dims, dropout=a.dropout)
    fb = Feedback(1500 * 10, a.seed)
    dense = [p for n, p in model.named_parameters() if n not in ("emb.weight", "lin.weight")]
    opt = torch.optim.Adam(dense, lr=a.lr)
    sopt = torch.optim.Adam([model.emb.weight, model.lin.weight], lr=a.lr)  # dense Adam, as the paper's code
    rng = np.random.default_rng(a.seed)
    order = rng.permutation(n_train)
    traj = []

    def batch(i):
        idx = np.sort(order[i * a.batch:(i + 1) * a.batch])
        r = torch.from_numpy(np.asarray(rows[idx], dtype=np.int64))
        return r[:, 1:], r[:, :1].float()

    for step in range(a.steps + 1):
        x, y = batch(step)
        model.train()
        if step % a.every == 0 or step == a.steps:
            m = measure(model, fb, x, y)
            traj.append({"step": step, "alignment": m})
            print(f"step {step}: " + ", ".join(f"{k} {v[0]:.3f}" for k, v in m.items()), flush=True)
            if a.json:  # rewritten at every measurement, so a stopped run keeps its trajectory
                json.dump({"args": vars(a), "trajectory": traj}, open(a.json, "w"), indent=1)
        if step == a.steps:
            break
        opt.zero_grad()
        sopt.zero_grad()
        loss = dfa_backward(model, fb, x, y, embeddings=a.embeddings)
        opt.step()
        sopt.step()
        if step % a.every == 0:
            print(f"  loss {loss:.4f}", flush=True)


if __name__ == "__main__":
    main()
