#!/usr/bin/python3
"""NeRF inference (rendering) rays/s in PyTorch, the counterpart of our `NeRF.render`: per chunk of
rays, evenly spaced coarse depths, the coarse network, volume rendering; with --full then the
deterministic inverse-CDF samples from the coarse weights and the fine network at all 192 depths.
Networks, encoding, rendering and sample_pdf are ../shared/anchors/torch_nerf.py's own (imported, not
copied), under torch.no_grad(), with the anchors' process settings (glibc malloc tuned, passive
OpenMP, 2 threads). Chunks hold `--chunk` network evaluations (default 65536), as ours.
  /usr/bin/python3 torch_nerf_render.py [--full] [--rays 4096] [--windows 5] [--json out.json]
"""
import os
import sys

TUNED = {"OMP_WAIT_POLICY": "PASSIVE", "MALLOC_MMAP_MAX_": "0",
         "MALLOC_TRIM_THRESHOLD_": str(16 * 1024 ** 3), "MALLOC_TOP_PAD_": str(1024 ** 3)}
if os.environ.get("DFA_RENDER_ENV_DONE") != "1":
    env = dict(os.environ, DFA_RENDER_ENV_DONE="1", ANCHORS_ENV_DONE="1")
    for k, v in TUNED.items():
        env.setdefault(k, v)
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)

import argparse, json, statistics, time  # noqa: E401,E402

p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
p.add_argument("--anchors", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared", "anchors"))
p.add_argument("--full", action="store_true")
p.add_argument("--rays", type=int, default=4096, help="rays rendered per timed call")
p.add_argument("--samples", type=int, default=64)
p.add_argument("--fine", type=int, default=128)
p.add_argument("--chunk", type=int, default=65536, help="network evaluations per chunk")
p.add_argument("--windows", type=int, default=5)
p.add_argument("--threads", type=int, default=2)
p.add_argument("--json")
a = p.parse_args()
sys.path.insert(0, os.path.abspath(a.anchors))
import torch  # noqa: E402
import torch_nerf as tn  # noqa: E402

torch.set_num_threads(a.threads)
torch.manual_seed(0)
nets = ([tn.NeRFMLP([256] * 8, skip=5, view_dim=27, seed=k) for k in range(2)] if a.full
        else [tn.NeRFMLP([128] * 3, seed=0)])
o, d, _ = tn.make_rays(a.rays, torch.Generator().manual_seed(0))
per_ray = a.samples + (a.fine if a.full else 0)
chunk_rays = max(1, a.chunk // per_ray)


def evaluate(net, oc, dc, t):
    x = tn.encode(oc[:, None] + dc[:, None] * t[..., None], 10)
    dirs = tn.encode(dc, 4)[:, None].expand(-1, t.shape[1], -1) if net.view else None
    raw, _ = net(x, dirs, "bp")
    return tn.render(raw, t)


def render_all():
    out = []
    with torch.no_grad():
        for s in range(0, a.rays, chunk_rays):
            oc, dc = o[s:s + chunk_rays], d[s:s + chunk_rays]
            t = (tn.NEAR + (tn.FAR - tn.NEAR) * torch.linspace(0, 1, a.samples)).expand(oc.shape[0], -1)
            color, w = evaluate(nets[0], oc, dc, t)
            if a.full:  # deterministic inverse-CDF depths (nerf's det=True), merged and sorted
                bins = 0.5 * (t[:, 1:] + t[:, :-1])
                pdf = w[:, 1:-1] + 1e-5
                pdf = pdf / pdf.sum(-1, keepdim=True)
                cdf = torch.cat([torch.zeros_like(pdf[:, :1]), torch.cumsum(pdf, -1)], -1)
                u = torch.linspace(0, 1, a.fine).expand(cdf.shape[0], -1).contiguous()
                hi = torch.searchsorted(cdf, u, right=True).clamp(max=cdf.shape[1] - 1)
                lo = (hi - 1).clamp(min=0)
                c0, c1, b0, b1 = cdf.gather(1, lo), cdf.gather(1, hi), bins.gather(1, lo), bins.gather(1, hi)
                tf = b0 + (u - c0) / torch.where(c1 - c0 < 1e-5, torch.ones_like(c0), c1 - c0) * (b1 - b0)
                color, _ = evaluate(nets[1], oc, dc, torch.sort(torch.cat([t, tf], -1), -1).values)
            out.append(color)
    return torch.cat(out)


for _ in range(2):
    render_all()
times = []
for _ in range(a.windows):
    t0 = time.perf_counter()
    render_all()
    times.append(time.perf_counter() - t0)
med = statistics.median(times)
doc = {"benchmark": "torch_nerf_render_full" if a.full else "torch_nerf_render_tiny", "rays": a.rays,
       "samples_per_ray": per_ray, "chunk_rays": chunk_rays, "median_s": med, "rays_per_s": a.rays / med,
       "windows_s": times, "threads": torch.get_num_threads(), "torch": torch.__version__}
if a.json:
    with open(a.json, "w") as f:
        json.dump(doc, f, indent=1)
print(json.dumps(doc))
