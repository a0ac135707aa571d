"""PyTorch on the CPU training the same networks as bench/training.ts, for a ratio measured in the same run.

Usage: /usr/bin/python3 bench/torch_training.py NET THREADS STEPS [train|infer]
Prints one JSON line: {"imagesPerSecond": ...}, timed over STEPS batches of 32 after warm-up.

Networks, as the graphs compile (bench/nets.ts, templates/recipes.ts):
  reference     32x32x3 -> conv3x3x16 ReLU -> conv3x3x32 s2 ReLU -> conv3x3x64 s2 ReLU -> global average
                pool -> dense 10 (convolutions with bias)
  starter-cnn   conv3x3x16 -> BN -> ReLU -> conv3x3x32 s2 -> BN -> ReLU -> conv3x3x64 s2 -> BN -> ReLU
                -> global average pool -> dense 10 (convolutions without bias; BN eps 1e-3, Keras
                momentum 0.9 = torch momentum 0.1)
  resnet-20     He et al. 2016 section 4.2, option B: 3x3x16 stem conv-BN-ReLU, 3 stages x 3 basic blocks
                of 16/32/64 channels; the first block of stages 2 and 3 has a stride-2 3x3 conv and a 1x1
                stride-2 conv-BN projection shortcut; global average pool; dense 10 (Keras momentum 0.99)
TensorFlow's "same" padding of a stride-2 3x3 convolution on an even size pads one row and column at the
end only; the stride-2 convolutions here pad the same way, so the arithmetic is the same. Adam, batch 32,
cross-entropy on logits (the graphs put softmax in the model and take -log p: the same gradient), random
images, NCHW (PyTorch's native layout on the CPU), training mode for "train", eval and no_grad for "infer".
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

BATCH = 32
WARMUP = 3


class SameConv(nn.Module):
    """A square convolution padded as TensorFlow's "same" pads it (the extra row and column at the end)."""

    def __init__(self, cin, cout, kernel, stride=1, bias=False):
        super().__init__()
        self.conv = nn.Conv2d(cin, cout, kernel, stride=stride, bias=bias)
        self.kernel = kernel
        self.stride = stride

    def forward(self, x):
        size = x.shape[-1]
        out = -(-size // self.stride)
        total = max((out - 1) * self.stride + self.kernel - size, 0)
        before = total // 2
        if total > 0:
            x = F.pad(x, (before, total - before, before, total - before))
        return self.conv(x)


def conv_bn_relu(cin, cout, stride, momentum):
    return [SameConv(cin, cout, 3, stride), nn.BatchNorm2d(cout, eps=1e-3, momentum=momentum), nn.ReLU()]


class Head(nn.Module):
    def __init__(self, channels, classes=10):
        super().__init__()
        self.fc = nn.Linear(channels, classes)

    def forward(self, x):
        return self.fc(x.mean(dim=(2, 3)))


def reference():
    return nn.Sequential(
        SameConv(3, 16, 3, 1, bias=True), nn.ReLU(),
        SameConv(16, 32, 3, 2, bias=True), nn.ReLU(),
        SameConv(32, 64, 3, 2, bias=True), nn.ReLU(),
        Head(64),
    )


def starter_cnn():
    m = 0.1
    return nn.Sequential(
        *conv_bn_relu(3, 16, 1, m), *conv_bn_relu(16, 32, 2, m), *conv_bn_relu(32, 64, 2, m), Head(64)
    )


class Block(nn.Module):
    def __init__(self, cin, cout, downsample, momentum):
        super().__init__()
        stride = 2 if downsample else 1
        self.conv1 = SameConv(cin, cout, 3, stride)
        self.bn1 = nn.BatchNorm2d(cout, eps=1e-3, momentum=momentum)
        self.conv2 = SameConv(cout, cout, 3, 1)
        self.bn2 = nn.BatchNorm2d(cout, eps=1e-3, momentum=momentum)
        self.proj = (
            nn.Sequential(SameConv(cin, cout, 1, 2), nn.BatchNorm2d(cout, eps=1e-3, momentum=momentum))
            if downsample
            else None
        )

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        out = self.bn2(self.conv2(out))
        return F.relu(out + (x if self.proj is None else self.proj(x)))


def resnet_20():
    m = 0.01
    blocks = [*conv_bn_relu(3, 16, 1, m)]
    cin = 16
    for stage, filters in enumerate([16, 32, 64]):
        for b in range(3):
            blocks.append(Block(cin, filters, stage > 0 and b == 0, m))
            cin = filters
    return nn.Sequential(*blocks, Head(64))


NETS = {"reference": reference, "starter-cnn": starter_cnn, "resnet-20": resnet_20}


def images_per_second(net, threads, steps, mode):
    torch.manual_seed(1)
    torch.set_num_threads(threads)
    model = NETS[net]()
    x = torch.rand(BATCH, 3, 32, 32)
    y = torch.randint(0, 10, (BATCH,))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def train_step():
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        return loss.item()

    def infer_step():
        with torch.no_grad():
            return model(x).argmax(1)[0].item()

    if mode == "train":
        model.train()
        step = train_step
    else:
        model.eval()
        step = infer_step
    for _ in range(WARMUP):
        step()
    start = time.perf_counter()
    for _ in range(steps):
        step()
    return BATCH * steps / (time.perf_counter() - start)


def main():
    net, threads, steps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    mode = sys.argv[4] if len(sys.argv) > 4 else "train"
    if net not in NETS or mode not in ("train", "infer"):
        sys.exit(f"usage: torch_training.py {{{','.join(NETS)}}} THREADS STEPS [train|infer]")
    print(json.dumps({"imagesPerSecond": images_per_second(net, threads, steps, mode)}))


if __name__ == "__main__":
    main()
