#!/usr/bin/python3
"""torch.mm GFLOPS at given sizes, with the anchors' process settings (see ../shared/anchors)."""
import os, sys
TUNED = {"OMP_WAIT_POLICY": "PASSIVE", "MALLOC_MMAP_MAX_": "0",
         "MALLOC_TRIM_THRESHOLD_": str(16 * 1024 ** 3), "MALLOC_TOP_PAD_": str(1024 ** 3)}
if os.environ.get("DFA_GEMM_ENV_DONE") != "1":
    env = dict(os.environ, DFA_GEMM_ENV_DONE="1")
    for k, v in TUNED.items():
        env.setdefault(k, v)
    os.execve(sys.executable, [sys.executable, os.path.abspath(__file__)] + sys.argv[1:], env)
import argparse, json, statistics, time
import torch
p = argparse.ArgumentParser()
p.add_argument("--sizes", default="256,512,1024,2048")
p.add_argument("--windows", type=int, default=5)
p.add_argument("--window-s", type=float, default=0.5)
p.add_argument("--json")
a = p.parse_args()
torch.set_num_threads(2)
res = []
for n in [int(s) for s in a.sizes.split(",")]:
    g = torch.Generator().manual_seed(0)
    x = torch.rand(n, n, generator=g); y = torch.rand(n, n, generator=g); out = torch.empty(n, n)
    for _ in range(3): torch.mm(x, y, out=out)
    t0 = time.perf_counter(); k = 0
    while time.perf_counter() - t0 < 0.2 or k < 2:
        torch.mm(x, y, out=out); k += 1
    per = (time.perf_counter() - t0) / k
    reps = max(2, int(a.window_s / per))
    ws = []
    for _ in range(a.windows):
        t0 = time.perf_counter()
        for _ in range(reps): torch.mm(x, y, out=out)
        ws.append((time.perf_counter() - t0) / reps)
    s = statistics.median(ws)
    res.append({"n": n, "median_s": s, "gflops": 2 * n ** 3 / s / 1e9})
doc = {"benchmark": "torch.mm", "threads": torch.get_num_threads(), "torch": torch.__version__, "results": res}
if a.json:
    with open(a.json, "w") as f: json.dump(doc, f, indent=2)
print(json.dumps(doc))
