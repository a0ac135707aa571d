"""Runs generated PyTorch code for the unit tests; the tests compare what it prints with tfjs.

    python3 check.py JOB.json   -> prints one JSON object with a result per case

A job lists cases per kind of check (one process for many, as importing torch takes seconds); arrays
go in and out as lists, images as raw little-endian float32 files written by the test.
"""
import importlib.util
import json
import os
import sys

import torch

torch.set_num_threads(1)


def load(path, name):
    """Imports a generated file from its folder (model.py beside it for train.py)."""
    folder = os.path.dirname(path)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    sys.modules.pop('model', None)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.path.remove(folder)
    return module


def images(path, shape):
    """NHWC float32 file -> NCHW tensor."""
    data = bytearray(open(path, 'rb').read())
    return torch.frombuffer(data, dtype=torch.float32).reshape(shape).permute(0, 3, 1, 2).contiguous()


def flat(t):
    return [float(v) for v in t.detach().reshape(-1)]


def check_model(case, n):
    m = load(os.path.join(case['dir'], 'model.py'), f'model_{n}')
    torch.manual_seed(0)
    model = m.Model()
    params = {
        'trainable': sum(p.numel() for p in model.parameters() if p.requires_grad),
        'frozen': sum(p.numel() for p in model.parameters() if not p.requires_grad)
        + sum(b.numel() for name, b in model.named_buffers() if not name.endswith('num_batches_tracked')),
    }
    m.load_tfjs_weights(model, case['model_json'])
    saved = m.read_tfjs_weights(case['model_json'])
    again = m.tfjs_weights(model)
    roundtrip = max([float((again[k] - saved[k]).abs().max()) for k in saved if saved[k].numel() > 0] or [0.0])
    x = images(case['input'], case['shape'])
    model.eval()
    with torch.no_grad():
        inference = model(x)
    model.train()
    with torch.no_grad():
        training = model(x)
    moving = {k: flat(v) for k, v in m.tfjs_weights(model).items() if k.endswith(('/moving_mean', '/moving_variance'))}
    return {'params': params, 'inference': flat(inference), 'training': flat(training), 'moving': moving,
            'roundtrip': roundtrip, 'names': sorted(saved)}


def check_step(case, n):
    t = load(os.path.join(case['dir'], 'train.py'), f'train_{n}')
    m = sys.modules['model']
    torch.manual_seed(0)
    model = m.Model()
    m.load_tfjs_weights(model, case['model_json'])
    settings = {**t.SETTINGS, **case['settings']}
    optimizer, kernels = t.make_optimizer(model, settings)
    x = images(case['input'], case['shape'])
    y = torch.tensor(case['labels'], dtype=torch.long)
    model.train()
    lr = t.learning_rate_at(settings, 0)
    loss, correct = t.train_step(model, optimizer, x, y, lr, settings, kernels)
    return {'loss': float(loss), 'correct': int(correct), 'lr': lr,
            'weights': {k: flat(v) for k, v in m.tfjs_weights(model).items()}}


def check_schedule(case, n):
    t = load(os.path.join(case['dir'], 'train.py'), f'train_{n}')
    return [t.learning_rate_at({**t.SETTINGS, **case['settings']}, p) for p in case['progress']]


def check_augment(case, n):
    t = load(os.path.join(case['dir'], 'train.py'), f'train_{n}')
    x = torch.tensor(case['images'], dtype=torch.float32)
    choices = {k: None for k in ('flip_horizontal', 'flip_vertical', 'warp', 'brightness', 'contrast', 'saturation')}
    for key, value in case['choices'].items():
        if key == 'warp':
            choices[key] = tuple(torch.tensor(v, dtype=torch.float32) for v in value)
        elif key.startswith('flip'):
            choices[key] = torch.tensor(value, dtype=torch.bool)
        else:
            choices[key] = torch.tensor(value, dtype=torch.float32)
    return t.apply_augmentation(x, choices, case.get('fill', 'zero')).tolist()


def check_sampling(case, n):
    """Statistics of sampled choices: every draw within its range."""
    t = load(os.path.join(case['dir'], 'train.py'), f'train_{n}')
    g = torch.Generator()
    g.manual_seed(1)
    c = t.sample_augmentation(case['n'], {**case['augment']}, g, torch.device('cpu'))
    out = {}
    for key, value in c.items():
        if value is None:
            out[key] = None
        elif key == 'warp':
            out[key] = [[float(v.min()), float(v.max())] for v in value]
        else:
            out[key] = [float(value.float().min()), float(value.float().max()), float(value.float().mean())]
    return out


def check_run(case, n):
    """A finished train.py run: every replica's final weights, the checkpoint and the log."""
    m = load(os.path.join(case['dir'], 'model.py'), f'model_{n}')
    finals = [torch.load(os.path.join(case['out'], f'final-{rank}.pt')) for rank in range(case['ranks'])]
    spread = max(float((f[k].double() - finals[0][k].double()).abs().max()) for f in finals for k in f)
    checkpoint = torch.load(os.path.join(case['out'], 'checkpoint.pt'))
    model = m.Model()
    model.load_state_dict(checkpoint['model'])
    reloaded = max(float((v.double() - finals[0][k].double()).abs().max()) for k, v in model.state_dict().items())
    log = [json.loads(line) for line in open(os.path.join(case['out'], 'log.jsonl'))]
    return {'spread': spread, 'reloaded': reloaded, 'epoch': checkpoint['epoch'], 'classes': checkpoint['classes'],
            'log': log}


def write_images(case, n):
    """A class-per-folder dataset of PNGs with train/ and val/ folders: bright squares on dark noise
    against plain dark noise, in several sizes, and one file in val/ that is not an image."""
    from PIL import Image
    g = torch.Generator()
    g.manual_seed(case['seed'])
    for split, count in (('train', case['train']), ('val', case['val'])):
        for label in ('dark', 'square'):
            folder = os.path.join(case['dir'], split, label)
            os.makedirs(folder, exist_ok=True)
            for i in range(count):
                h, w = case['sizes'][i % len(case['sizes'])]
                pixels = (torch.rand(h, w, 3, generator=g) * 90).to(torch.uint8)
                if label == 'square':
                    side = min(h, w) // 2
                    top = int(torch.randint(0, h - side + 1, (1,), generator=g))
                    left = int(torch.randint(0, w - side + 1, (1,), generator=g))
                    pixels[top:top + side, left:left + side] = 230
                Image.fromarray(pixels.numpy()).save(os.path.join(folder, f'{i}.png'))
    with open(os.path.join(case['dir'], 'val', 'dark', 'zz-broken.png'), 'wb') as f:
        f.write(b'not a png')
    return True


CHECKS = {'models': check_model, 'steps': check_step, 'schedule': check_schedule, 'augment': check_augment,
          'sampling': check_sampling, 'run': check_run, 'images': write_images}


def main():
    """job: {"jobs": {kind: [case, ...]}, "out": path}; writes {kind: [result, ...]}."""
    job = json.load(open(sys.argv[1]))
    n = 0
    results = {}
    for kind, cases in job['jobs'].items():
        results[kind] = []
        for case in cases:
            results[kind].append(CHECKS[kind](case, n))
            n += 1
    with open(job['out'], 'w') as f:
        json.dump(results, f)


if __name__ == '__main__':
    main()
