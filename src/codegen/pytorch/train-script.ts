/**
 * train.py: trains model.py with the app's settings on one device (`python train.py`) or many
 * (`torchrun`, DistributedDataParallel). The schedule is learningRateAt's formula, weight decay is
 * applied as src/train/trainer.ts applies it, the loss is the app's clipped cross-entropy on the
 * model's probabilities, and augmentation follows src/core/training/augment.ts step by step.
 */
import type { AugmentConfig, ResizeMode } from '../../core/training/augment';
import type { ParamSpec } from '../../../nodes/params';
import type { TrainConfig, TrainSettingKey } from '../../core/training/settings';
import { trainSettingFlags, trainSettings } from '../../core/training/settings';
import { pyLiteral } from './python';

export interface TrainScriptOptions {
  readonly name: string;
  readonly train: TrainConfig;
  readonly augment: AugmentConfig;
  readonly resize: ResizeMode;
}

/** `'key': value,  # comment` lines of a dict, values aligned. */
function dictLines(entries: readonly [key: string, value: unknown, comment: string][]): string {
  const heads = entries.map(([k, v]) => `    ${pyLiteral(k)}: ${pyLiteral(v)},`);
  const width = Math.max(...heads.map((h) => h.length)) + 2;
  return entries
    .map(([, , comment], i) => (comment === '' ? heads[i]! : `${heads[i]!.padEnd(width)}# ${comment}`))
    .join('\n');
}

/** train.py's name for each training setting (its SETTINGS key and its option's dest). */
const pythonKey: Readonly<Record<TrainSettingKey, string>> = {
  epochs: 'epochs',
  batchSize: 'batch_size',
  learningRate: 'learning_rate',
  optimizer: 'optimizer',
  schedule: 'schedule',
  weightDecay: 'weight_decay',
  momentum: 'momentum',
  seed: 'seed',
};

/** What a setting means beyond the app's words, in a script that may run as several processes. */
const pythonNote: Partial<Record<TrainSettingKey, string>> = {
  batchSize: 'Here per process: N processes take N × batch_size images a step.',
  seed: 'Here also the augmentation and the held-out share.',
};

/** `# text` as lines of at most `width` columns, indented. */
function commentLines(text: string, indent: string, width = 100): string[] {
  const lines: string[] = [];
  let line = `${indent}#`;
  for (const word of text.split(/\s+/)) {
    if (line.length + 1 + word.length > width && line !== `${indent}#`) {
      lines.push(line);
      line = `${indent}#`;
    }
    line += ` ${word}`;
  }
  return [...lines, line];
}

const argparseType = (spec: ParamSpec): string =>
  spec.type === 'choice'
    ? `choices=${pyLiteral(spec.options.map((o) => o.value))}`
    : `type=${spec.type === 'float' ? 'float' : 'int'}`;

/** One argparse option per training setting, with the app's CLI flag and help. */
function settingOptions(): string {
  return (Object.keys(trainSettings) as TrainSettingKey[])
    .map((key) => {
      const spec: ParamSpec = trainSettings[key];
      const help = pyLiteral(spec.help.replace(/%/g, '%%'));
      return `    p.add_argument(${pyLiteral(`--${trainSettingFlags[key]}`)}, dest=${pyLiteral(pythonKey[key])}, ${argparseType(spec)},\n                   help=${help})`;
    })
    .join('\n');
}

export function trainScript(o: TrainScriptOptions): string {
  const t = o.train;
  const a = o.augment;
  const settings = [
    ...(Object.keys(trainSettings) as TrainSettingKey[]).map((key) =>
      [
        ...commentLines([trainSettings[key].help, pythonNote[key]].filter(Boolean).join(' '), '    '),
        `    ${pyLiteral(pythonKey[key])}: ${pyLiteral(t[key])},`,
      ].join('\n'),
    ),
    `    # How an image of another size becomes the input's: 'centre-crop', 'letterbox' or 'stretch'.\n    'resize': ${pyLiteral(o.resize)},`,
    "    # Held out for validation when the folder has no train/ and val/ (or test/) folders.\n    'validation_share': 0.2,",
  ].join('\n');
  const augment = dictLines([
    ['flip_horizontal', a.flipHorizontal, 'each with probability 0.5'],
    ['flip_vertical', a.flipVertical, ''],
    ['rotation', a.rotation, 'degrees either way'],
    ['zoom', [...a.zoom], 'factor range; above 1 magnifies'],
    ['shift', a.shift, 'fraction of the width and height, either way'],
    ['fill', a.fill, "outside the image: 'zero', 'reflect' or 'symmetric'"],
    ['brightness', [...a.brightness], 'factor ranges; [1, 1] leaves the image as it is'],
    ['contrast', [...a.contrast], ''],
    ['saturation', [...a.saturation], ''],
  ]);
  return `"""Trains ${o.name} (model.py) with the settings chosen in ConvCanvas, on one device or many.

    python train.py --data images/                        # one GPU, or the CPU
    torchrun --nproc_per_node=4 train.py --data images/   # four GPUs of this machine

On several machines, run the same command on each with torchrun's --nnodes, --node_rank (or
--rdzv-id and --rdzv-backend=c10d) and --rdzv-endpoint=HOST:PORT options; see README.md.

images/ holds one folder per class (torchvision's ImageFolder layout). Its own train/ and val/ (or
test/) folders are used when it has them; otherwise a seeded share of the images is held out.
Every process reads its own part of each epoch (DistributedSampler) and trains a replica
(DistributedDataParallel: NCCL on GPUs, Gloo on CPUs); process 0 prints, logs to OUT/log.jsonl
and saves OUT/checkpoint.pt after every epoch; --resume continues from it.
"""
import argparse
import json
import math
import os
import random
import sys
import time
import warnings

import torch
import torch.distributed as dist
from PIL import Image
from torch.nn.parallel import DistributedDataParallel
from torch.utils.data import DataLoader, Dataset, Subset
from torch.utils.data.distributed import DistributedSampler

from model import CLASSES, INPUT_SHAPE, Model, load_tfjs_weights

# The settings chosen in ConvCanvas; options on the command line override them.
SETTINGS = {
${settings}
}

# Augmentation of training images (never validation ones), in this order: flips; one warp
# (rotation, zoom and shift about the centre, sampled bilinearly); brightness; contrast; saturation.
AUGMENT = {
${augment}
}

IMAGE_SUFFIXES = ('.png', '.jpg', '.jpeg', '.webp', '.bmp', '.gif')


def learning_rate_at(settings, progress):
    """Learning rate at progress (0 at the first step, 1 after the last), as in ConvCanvas.

    One-cycle: a cosine rise from lr/25 to lr over the first quarter, then a cosine fall to
    lr/25,000 (Smith 2018, as in fastai).
    """
    lr = settings['learning_rate']
    if settings['schedule'] == 'constant':
        return lr

    def cosine(start, end, t):
        return end + (start - end) * (1 + math.cos(math.pi * t)) / 2

    warm = 0.25
    if progress < warm:
        return cosine(lr / 25, lr, progress / warm)
    return cosine(lr, lr / 25e3, (progress - warm) / (1 - warm))


def make_optimizer(model, settings):
    """The app's optimizer: (optimizer, the kernels weight decay applies to).

    Only kernels (weights of more than one dimension) decay, never biases or batch-norm scales.
    Adam and SGD add weight_decay * W to the gradient (an L2 penalty of weight_decay / 2 * |W|^2);
    AdamW shrinks the kernels after each step instead (see train_step). Adam's epsilon is
    TensorFlow.js' 1e-7.
    """
    trainable = [p for p in model.parameters() if p.requires_grad]
    kernels = [p for p in trainable if p.dim() > 1]
    others = [p for p in trainable if p.dim() <= 1]
    coupled = settings['weight_decay'] if settings['optimizer'] != 'adamw' else 0.0
    groups = [g for g in ({'params': kernels, 'weight_decay': coupled},
                          {'params': others, 'weight_decay': 0.0}) if g['params']]
    lr = learning_rate_at(settings, 0)
    if settings['optimizer'] == 'sgd':
        return torch.optim.SGD(groups, lr=lr, momentum=settings['momentum']), kernels
    if settings['optimizer'] in ('adam', 'adamw'):
        return torch.optim.Adam(groups, lr=lr, betas=(0.9, 0.999), eps=1e-7), kernels
    raise ValueError(f"unknown optimizer {settings['optimizer']!r}: use 'adam', 'adamw' or 'sgd'")


def train_step(model, optimizer, images, labels, lr, settings, kernels):
    """One step at learning rate lr; returns the batch's mean loss and how many it got right.

    The loss is the app's: -log of the probability of the right class, clipped to [1e-7, 1].
    """
    for group in optimizer.param_groups:
        group['lr'] = lr
    probabilities = model(images)
    picked = probabilities.gather(1, labels[:, None]).squeeze(1)
    loss = -torch.log(picked.clamp(1e-7, 1)).mean()
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    optimizer.step()
    if settings['optimizer'] == 'adamw' and settings['weight_decay'] > 0:
        with torch.no_grad():
            for w in kernels:
                w.mul_(1 - lr * settings['weight_decay'])
    return loss.detach(), (probabilities.detach().argmax(1) == labels).sum()


# ---- images -------------------------------------------------------------------------------------

def find_images(folder):
    """(class names, [(path, class index)]) of a folder with one subfolder per class."""
    classes = sorted(d for d in os.listdir(folder)
                     if os.path.isdir(os.path.join(folder, d)) and not d.startswith('.'))
    samples = []
    for index, name in enumerate(classes):
        for root, dirs, files in sorted(os.walk(os.path.join(folder, name), followlinks=True)):
            dirs.sort()
            samples += [(os.path.join(root, f), index) for f in sorted(files)
                        if f.lower().endswith(IMAGE_SUFFIXES)]
    return classes, samples


def split_images(folder, share, seed):
    """(classes, training samples, validation samples) by the folder's own split, else a seeded one."""
    for train, held in (('train', 'val'), ('train', 'test')):
        if os.path.isdir(os.path.join(folder, train)) and os.path.isdir(os.path.join(folder, held)):
            classes, train_samples = find_images(os.path.join(folder, train))
            held_classes, held_samples = find_images(os.path.join(folder, held))
            if held_classes != classes:
                raise SystemExit(f'{folder}/{train} and {folder}/{held} must hold the same class folders')
            return classes, train_samples, held_samples
    classes, samples = find_images(folder)
    order = list(range(len(samples)))
    random.Random(seed).shuffle(order)
    held = set(order[:round(len(samples) * share)])
    return (classes, [s for i, s in enumerate(samples) if i not in held],
            [s for i, s in enumerate(samples) if i in held])


def resize_image(image, width, height, mode):
    """image (PIL) at width x height: 'centre-crop' scales the shorter side to fit and cuts the
    middle out of the longer one; 'letterbox' scales the longer side to fit and pads the shorter
    one equally on both sides with black; 'stretch' scales each side to fit."""
    w0, h0 = image.size
    if (w0, h0) == (width, height):
        return image
    if mode == 'stretch':
        return image.resize((width, height), Image.BILINEAR)
    if mode == 'centre-crop':
        scale = max(width / w0, height / h0)
        w1, h1 = max(width, round(w0 * scale)), max(height, round(h0 * scale))
        left, top = (w1 - width) // 2, (h1 - height) // 2
        return image.resize((w1, h1), Image.BILINEAR).crop((left, top, left + width, top + height))
    if mode == 'letterbox':
        scale = min(width / w0, height / h0)
        w1 = min(width, max(1, round(w0 * scale)))
        h1 = min(height, max(1, round(h0 * scale)))
        canvas = Image.new(image.mode, (width, height))
        canvas.paste(image.resize((w1, h1), Image.BILINEAR), ((width - w1) // 2, (height - h1) // 2))
        return canvas
    raise ValueError(f"unknown resize mode {mode!r}: use 'centre-crop', 'letterbox' or 'stretch'")


class ImageFiles(Dataset):
    """Images as uint8 [C, H, W] at the model's input size, with their class; None when unreadable."""

    def __init__(self, samples, shape, resize):
        channels, self.height, self.width = shape
        if channels not in (1, 3):
            raise SystemExit(f'the model takes {channels}-channel images; image folders give 1 (grey) or 3 (RGB)')
        self.samples, self.mode, self.resize = samples, 'L' if channels == 1 else 'RGB', resize

    def __len__(self):
        return len(self.samples)

    def __getitem__(self, i):
        path, label = self.samples[i]
        try:
            with Image.open(path) as image:
                image = resize_image(image.convert(self.mode), self.width, self.height, self.resize)
                pixels = torch.frombuffer(bytearray(image.tobytes()), dtype=torch.uint8)
        except (OSError, ValueError, Image.DecompressionBombError) as e:
            warnings.warn(f'skipped {path}: {e}')
            return None
        return pixels.view(self.height, self.width, -1).permute(2, 0, 1), label


def collate(batch):
    """Stacks a batch, leaving out the images that could not be read."""
    batch = [b for b in batch if b is not None]
    if not batch:
        raise RuntimeError('no image of a batch could be read: see the warnings above')
    return torch.stack([b[0] for b in batch]), torch.tensor([b[1] for b in batch])


# ---- augmentation (ConvCanvas' definitions, on float batches [N, C, H, W] in [0, 1]) --------------

def sample_augmentation(n, augment, generator, device):
    """Per-image random choices for a batch of n; None for a step that changes nothing."""
    def uniform(low, high):
        return low + (high - low) * torch.rand(n, generator=generator, device=device)

    def factor(key):
        low, high = augment[key]
        return None if low == high == 1 else uniform(low, high)

    warp = augment['rotation'] != 0 or list(augment['zoom']) != [1, 1] or augment['shift'] != 0
    return {
        'flip_horizontal': uniform(0, 1) < 0.5 if augment['flip_horizontal'] else None,
        'flip_vertical': uniform(0, 1) < 0.5 if augment['flip_vertical'] else None,
        'warp': (uniform(-augment['rotation'], augment['rotation']), uniform(*augment['zoom']),
                 uniform(-augment['shift'], augment['shift']),
                 uniform(-augment['shift'], augment['shift'])) if warp else None,
        'brightness': factor('brightness'),
        'contrast': factor('contrast'),
        'saturation': factor('saturation'),
    }


def border_index(i, size, fill):
    """Whole-number positions i mapped into 0..size-1 by the fill, and 1 where a sample is real."""
    if fill == 'zero':
        return i.clamp(0, size - 1), ((i >= 0) & (i <= size - 1)).to(i.dtype)
    if size == 1:
        return torch.zeros_like(i), torch.ones_like(i)
    # reflect: ... 2 1 | 0 1 2 ... (edge not repeated); symmetric: ... 1 0 | 0 1 2 ... (repeated).
    period = 2 * size - 2 if fill == 'reflect' else 2 * size
    j = torch.remainder(i, period)
    mirrored = period - j if fill == 'reflect' else period - 1 - j
    return torch.where(j >= size, mirrored, j), torch.ones_like(i)


def warp_images(x, degrees, zoom, dx, dy, fill):
    """Output pixel p takes the input at c + R(-angle) (p - c - d) / zoom, sampled bilinearly;
    c is the centre ((W - 1) / 2, (H - 1) / 2) and d = (dx W, dy H)."""
    n, channels, height, width = x.shape
    ys, xs = torch.meshgrid(torch.arange(height, device=x.device, dtype=x.dtype),
                            torch.arange(width, device=x.device, dtype=x.dtype), indexing='ij')
    angle = (degrees * math.pi / 180)[:, None, None]
    cx, cy = (width - 1) / 2, (height - 1) / 2
    qx = (xs - cx - (dx * width)[:, None, None]) / zoom[:, None, None]
    qy = (ys - cy - (dy * height)[:, None, None]) / zoom[:, None, None]
    sx = cx + angle.cos() * qx + angle.sin() * qy
    sy = cy - angle.sin() * qx + angle.cos() * qy
    x0, y0 = sx.floor(), sy.floor()
    fx, fy = sx - x0, sy - y0
    flat = x.reshape(n, channels, height * width)
    out = torch.zeros_like(x)
    for ox, oy, weight in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)),
                           (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        ix, real_x = border_index(x0 + ox, width, fill)
        iy, real_y = border_index(y0 + oy, height, fill)
        index = (iy * width + ix).long().reshape(n, 1, -1).expand(n, channels, -1)
        values = flat.gather(2, index).reshape(n, channels, height, width)
        out += values * (weight * real_x * real_y)[:, None]
    return out


def grey(x):
    """0.299 R + 0.587 G + 0.114 B per pixel ([N, 1, H, W]); a greyscale image is its own grey."""
    if x.shape[1] == 1:
        return x
    return 0.299 * x[:, 0:1] + 0.587 * x[:, 1:2] + 0.114 * x[:, 2:3]


def apply_augmentation(x, choices, fill):
    """Applies sample_augmentation's choices to x in ConvCanvas' order, clamping after each step."""
    per_image = (slice(None), None, None, None)
    if choices['flip_horizontal'] is not None:
        x = torch.where(choices['flip_horizontal'][per_image], x.flip(3), x)
    if choices['flip_vertical'] is not None:
        x = torch.where(choices['flip_vertical'][per_image], x.flip(2), x)
    if choices['warp'] is not None:
        x = warp_images(x, *choices['warp'], fill).clamp(0, 1)
    if choices['brightness'] is not None:
        x = (x * choices['brightness'][per_image]).clamp(0, 1)
    if choices['contrast'] is not None:
        mean = grey(x).mean((1, 2, 3))[per_image]
        x = ((x - mean) * choices['contrast'][per_image] + mean).clamp(0, 1)
    if choices['saturation'] is not None and x.shape[1] == 3:
        g = grey(x)
        x = (g + (x - g) * choices['saturation'][per_image]).clamp(0, 1)
    return x


def augments(augment):
    """Whether the settings change any image."""
    return bool(augment['flip_horizontal'] or augment['flip_vertical'] or augment['rotation'] != 0
                or list(augment['zoom']) != [1, 1] or augment['shift'] != 0
                or any(list(augment[k]) != [1, 1] for k in ('brightness', 'contrast', 'saturation')))


# ---- training -----------------------------------------------------------------------------------

def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.split('\\n')[0])
    p.add_argument('--data', required=True, help='folder with one subfolder of images per class')
    p.add_argument('--out', default='run', help='where log.jsonl and checkpoint.pt go (default: run)')
    p.add_argument('--resume', action='store_true', help='continue from OUT/checkpoint.pt')
    p.add_argument('--weights', help="start from the app's model.json (with its weights .bin beside it)")
${settingOptions()}
    p.add_argument('--resize', choices=['centre-crop', 'letterbox', 'stretch'])
    p.add_argument('--validation-share', dest='validation_share', type=float)
    p.add_argument('--workers', type=int, help='image-reading processes per training process')
    p.add_argument('--log-every', type=int, default=20, help='batches between progress lines')
    p.add_argument('--cpu', action='store_true', help='train on the CPU even when a GPU is there')
    return p.parse_args(argv)


def settings_from(args):
    chosen = {key: getattr(args, key) for key in SETTINGS}
    return {**SETTINGS, **{k: v for k, v in chosen.items() if v is not None}}


def evaluate(model, loader, device):
    """Summed loss, right answers and count over this process's part of the validation images."""
    model.eval()
    totals = torch.zeros(3, device=device, dtype=torch.float64)
    with torch.no_grad():
        for images, labels in loader:
            x, y = images.to(device).float().div_(255), labels.to(device)
            p = model(x)
            totals[0] += -torch.log(p.gather(1, y[:, None]).clamp(1e-7, 1)).sum()
            totals[1] += (p.argmax(1) == y).sum()
            totals[2] += len(y)
    model.train()
    return totals


def main(argv=None):
    """Trains and returns the model (the same on every process)."""
    args = parse_args(argv)
    settings = settings_from(args)
    world = int(os.environ.get('WORLD_SIZE', '1'))
    rank, local = int(os.environ.get('RANK', '0')), int(os.environ.get('LOCAL_RANK', '0'))
    cuda = torch.cuda.is_available() and not args.cpu
    device = torch.device(f'cuda:{local}' if cuda else 'cpu')
    if cuda:
        torch.cuda.set_device(device)
        torch.backends.cudnn.benchmark = True
    if world > 1:
        dist.init_process_group('nccl' if cuda else 'gloo')
    lead = rank == 0

    def say(text):
        if lead:
            print(text, flush=True)

    classes, train_samples, val_samples = split_images(args.data, settings['validation_share'], settings['seed'])
    if len(classes) != CLASSES:
        raise SystemExit(f'the model has {CLASSES} outputs but {args.data} has {len(classes)} class folders')
    torch.manual_seed(settings['seed'])
    model = Model().to(device)
    if args.weights:
        load_tfjs_weights(model, args.weights)
        model.to(device)
    optimizer, kernels = make_optimizer(model, settings)
    checkpoint = os.path.join(args.out, 'checkpoint.pt')
    start = 0
    if args.resume and os.path.exists(checkpoint):
        state = torch.load(checkpoint, map_location=device)
        model.load_state_dict(state['model'])
        optimizer.load_state_dict(state['optimizer'])
        start = state['epoch']
        say(f'resumed from {checkpoint} after epoch {start}')
    net = DistributedDataParallel(model, device_ids=[local] if cuda else None) if world > 1 else model

    workers = args.workers
    if workers is None:
        workers = min(4, (os.cpu_count() or 1) // int(os.environ.get('LOCAL_WORLD_SIZE', '1')))
    train_set = ImageFiles(train_samples, INPUT_SHAPE, settings['resize'])
    sampler = DistributedSampler(train_set, num_replicas=world, rank=rank, shuffle=True, seed=settings['seed'])
    loader = DataLoader(train_set, batch_size=settings['batch_size'], sampler=sampler, num_workers=workers,
                        collate_fn=collate, pin_memory=cuda, persistent_workers=workers > 0)
    val_set = Subset(ImageFiles(val_samples, INPUT_SHAPE, settings['resize']), range(rank, len(val_samples), world))
    val_loader = DataLoader(val_set, batch_size=settings['batch_size'], num_workers=workers, collate_fn=collate)
    generator = torch.Generator(device=device)
    generator.manual_seed(settings['seed'] * 1000 + rank)
    augmenting = augments(AUGMENT)
    batches, epochs = len(loader), settings['epochs']
    say(f'{len(train_samples)} training and {len(val_samples)} validation images, {len(classes)} classes; '
        f'{world} process(es) on {device.type}, {batches} steps of {settings["batch_size"]} per epoch each')
    if lead:
        os.makedirs(args.out, exist_ok=True)
    log = open(os.path.join(args.out, 'log.jsonl'), 'a') if lead else None

    for epoch in range(start, epochs):
        sampler.set_epoch(epoch)
        net.train()
        totals = torch.zeros(3, device=device, dtype=torch.float64)
        since = torch.zeros(2, device=device, dtype=torch.float64)
        started = time.time()
        for b, (images, labels) in enumerate(loader):
            lr = learning_rate_at(settings, (epoch * batches + b) / (batches * epochs))
            x, y = images.to(device, non_blocking=True).float().div_(255), labels.to(device, non_blocking=True)
            if augmenting:
                x = apply_augmentation(x, sample_augmentation(len(y), AUGMENT, generator, device), AUGMENT['fill'])
            loss, correct = train_step(net, optimizer, x, y, lr, settings, kernels)
            totals[0] += loss * len(y)
            totals[1] += correct
            totals[2] += len(y)
            since[0] += loss * len(y)
            since[1] += len(y)
            if (b + 1) % args.log_every == 0 or b + 1 == batches:
                if world > 1:
                    dist.all_reduce(since)
                mean = (since[0] / since[1]).item()
                since.zero_()
                if lead:
                    print(f'epoch {epoch + 1}/{epochs} batch {b + 1}/{batches} loss {mean:.4f} lr {lr:.3g}',
                          flush=True)
                    log.write(json.dumps({'epoch': epoch + 1, 'batch': b + 1, 'loss': mean, 'learning_rate': lr})
                              + '\\n')
        seconds = time.time() - started
        if world > 1:
            dist.all_reduce(totals)
            # Each replica kept its own batches' running statistics: all go on with process 0's.
            for buffer in model.buffers():
                dist.broadcast(buffer, 0)
        val = evaluate(model, val_loader, device)
        if world > 1:
            dist.all_reduce(val)
        loss, accuracy = (totals[0] / totals[2]).item(), (totals[1] / totals[2]).item()
        if not math.isfinite(loss):
            raise SystemExit(f'the loss became {loss} in epoch {epoch + 1}: try a learning rate about 10x smaller; '
                             f'{checkpoint} still holds the weights from before this epoch')
        report = {'epoch': epoch + 1, 'loss': loss, 'accuracy': accuracy,
                  'val_loss': (val[0] / val[2]).item() if val[2] > 0 else None,
                  'val_accuracy': (val[1] / val[2]).item() if val[2] > 0 else None,
                  'seconds': seconds, 'images_per_second': totals[2].item() / seconds}
        if lead:
            val_text = '' if report['val_loss'] is None else \\
                f", validation loss {report['val_loss']:.4f} accuracy {report['val_accuracy']:.1%}"
            say(f'epoch {epoch + 1}/{epochs}: loss {loss:.4f} accuracy {accuracy:.1%}{val_text}; '
                f"{report['images_per_second']:.0f} images/s")
            log.write(json.dumps(report) + '\\n')
            log.flush()
            state = {'model': model.state_dict(), 'optimizer': optimizer.state_dict(), 'epoch': epoch + 1,
                     'settings': settings, 'augment': AUGMENT, 'classes': classes}
            torch.save(state, checkpoint + '.tmp')
            os.replace(checkpoint + '.tmp', checkpoint)
    if log is not None:
        log.close()
    if world > 1:
        dist.destroy_process_group()
    return model


if __name__ == '__main__':
    main(sys.argv[1:])
`;
}
