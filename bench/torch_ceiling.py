"""PyTorch on one CPU thread: GFLOP/s of the convolutions of bench/ceiling.ts.

Usage: /usr/bin/python3 bench/torch_ceiling.py
Prints one JSON line: {"conv": [{"size", "channels", "forward", "input", "filter"}...]} in GFLOP/s.

The convolutions are ResNet-20's 3x3 stride-1 layers (batch 32, NCHW, no bias). Each gradient is timed
alone (the backward of one kept forward graph, asking for that gradient only), best of a few repeats.
"""
import json
import time

import torch
import torch.nn.functional as F

torch.set_num_threads(1)
BATCH = 32
REPEATS = 5


def best_seconds(fn, inner):
    fn()
    best = float("inf")
    for _ in range(REPEATS):
        t = time.perf_counter()
        for _ in range(inner):
            fn()
        best = min(best, (time.perf_counter() - t) / inner)
    return best


def conv_row(size, channels, inner):
    flops = 2 * BATCH * size * size * channels * channels * 9
    x = torch.randn(BATCH, channels, size, size)
    w = torch.randn(channels, channels, 3, 3)
    dy = torch.randn(BATCH, channels, size, size)

    def forward():
        with torch.no_grad():
            F.conv2d(x, w, padding=1)

    def backward_of(of_input):
        # One forward graph kept, its backward run again and again: the gradient alone is timed.
        xi = x.clone().requires_grad_(of_input)
        wi = w.clone().requires_grad_(not of_input)
        y = F.conv2d(xi, wi, padding=1)
        target = xi if of_input else wi
        return lambda: torch.autograd.grad(y, target, dy, retain_graph=True)

    fwd = best_seconds(forward, inner)
    grad_input = best_seconds(backward_of(True), inner)
    grad_filter = best_seconds(backward_of(False), inner)
    g = lambda s: flops / max(s, 1e-9) / 1e9
    return {"size": size, "channels": channels, "forward": g(fwd), "input": g(grad_input), "filter": g(grad_filter)}


print(json.dumps({"conv": [conv_row(32, 16, 4), conv_row(16, 32, 4), conv_row(8, 64, 4)]}))
