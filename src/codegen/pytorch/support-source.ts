/**
 * The fixed Python parts of model.py: the layers PyTorch lacks in TensorFlow's exact form, the
 * initialisation, and the reader of the app's model.json + weights files. Each helper is included
 * only when the model uses it; tests/unit/pytorch-model.test.ts checks them against tfjs.
 */
import type { Helper } from './layers';

export const helperSource: Readonly<Record<Helper, string>> = {
  BatchNorm: `class BatchNorm(nn.modules.batchnorm._BatchNorm):
    """Batch norm over the channels of [N, C, H, W] or the features of [N, C], as TensorFlow.js does it.

    momentum is PyTorch's: the weight of each new batch (1 - the app's momentum). Unlike
    nn.BatchNorm2d, the running variance follows each batch's biased variance, as in TensorFlow.js.
    """

    def _check_input_dim(self, x):
        if x.dim() not in (2, 4):
            raise ValueError(f'BatchNorm takes [N, C] or [N, C, H, W], not {list(x.shape)}')

    def forward(self, x):
        self._check_input_dim(x)
        if not self.training:
            return F.batch_norm(x, self.running_mean, self.running_var, self.weight, self.bias,
                                False, 0.0, self.eps)
        dims = [0] + list(range(2, x.dim()))
        with torch.no_grad():
            self.running_mean.lerp_(x.mean(dims), self.momentum)
            self.running_var.lerp_(x.var(dims, unbiased=False), self.momentum)
            self.num_batches_tracked.add_(1)
        if x.numel() == x.shape[1]:
            # One value per feature, which F.batch_norm refuses: the variance is 0, the result beta.
            shape = [1, -1] + [1] * (x.dim() - 2)
            centred = x - x.mean(dims, keepdim=True)
            return centred * self.eps ** -0.5 * self.weight.view(shape) + self.bias.view(shape)
        return F.batch_norm(x, None, None, self.weight, self.bias, True, 0.0, self.eps)
`,
  symmetric_pad: `def symmetric_pad(x, pads):
    """Pads [N, C, H, W] with its mirror image, the edge repeated (... 1 0 | 0 1 2 ...).

    pads is F.pad's (left, right, top, bottom); F.pad has no such mode.
    """
    left, right, top, bottom = pads
    height, width = x.shape[2], x.shape[3]
    x = torch.cat([x[:, :, :top].flip(2), x, x[:, :, height - bottom:].flip(2)], 2)
    return torch.cat([x[:, :, :, :left].flip(3), x, x[:, :, :, width - right:].flip(3)], 3)
`,
  avg_pool_same: `def avg_pool_same(x, pool, pads):
    """Average pooling with TensorFlow's 'same' padding: each window averages its real pixels only."""
    ones = torch.ones_like(x[:1, :1])
    return pool(F.pad(x, pads)) / pool(F.pad(ones, pads))
`,
};

/** Glorot-uniform kernels and zero biases, as TensorFlow.js starts them. */
export const initSource = `def init_like_tfjs(model):
    """Glorot (Xavier) uniform kernels and zero biases, as TensorFlow.js starts them.

    PyTorch's own default (Kaiming uniform with a = sqrt(5), uniform biases) would start training
    somewhere else than the app does.
    """
    for module in model.modules():
        if isinstance(module, (nn.Conv2d, nn.Linear)):
            nn.init.xavier_uniform_(module.weight)
            if module.bias is not None:
                nn.init.zeros_(module.bias)
`;

/** Reading and converting the app's weights files; reads LAYER_NAMES and FLATTENED_FROM. */
export const weightsSource = `def _tfjs_slots(model):
    """Each TensorFlow.js weight name of model: (its tensor here, tfjs -> torch, torch -> tfjs)."""
    slots = {}
    same = (lambda t: t, lambda t: t)
    for attr, module in model.named_children():
        layer = LAYER_NAMES.get(attr, attr)
        if isinstance(module, nn.Conv2d):
            # [height, width, in, out] there, [out, in, height, width] here.
            slots[layer + '/kernel'] = (module.weight, lambda k: k.permute(3, 2, 0, 1),
                                        lambda w: w.permute(2, 3, 1, 0))
        elif isinstance(module, nn.Linear) and attr in FLATTENED_FROM:
            # Rows in TensorFlow's (height, width, channel) order there, torch.flatten's (c, h, w) here.
            h, w, c = FLATTENED_FROM[attr]
            slots[layer + '/kernel'] = (
                module.weight,
                lambda k, h=h, w=w, c=c: k.reshape(h, w, c, -1).permute(3, 2, 0, 1).reshape(-1, c * h * w),
                lambda t, h=h, w=w, c=c: t.reshape(-1, c, h, w).permute(2, 3, 1, 0).reshape(h * w * c, -1))
        elif isinstance(module, nn.Linear):
            slots[layer + '/kernel'] = (module.weight, lambda k: k.t(), lambda w: w.t())
        elif isinstance(module, nn.modules.batchnorm._BatchNorm):
            slots[layer + '/gamma'] = (module.weight, *same)
            slots[layer + '/beta'] = (module.bias, *same)
            slots[layer + '/moving_mean'] = (module.running_mean, *same)
            slots[layer + '/moving_variance'] = (module.running_var, *same)
            continue
        else:
            continue
        if module.bias is not None:
            slots[layer + '/bias'] = (module.bias, *same)
    return slots


def read_tfjs_weights(model_json):
    """The float32 weights saved with a TensorFlow.js model.json (its .bin files lie beside it), by name."""
    with open(model_json, encoding='utf-8') as f:
        manifest = json.load(f).get('weightsManifest')
    if not isinstance(manifest, list):
        raise ValueError(f'{model_json} has no weightsManifest: is it a TensorFlow.js layers model?')
    folder = os.path.dirname(os.path.abspath(model_json))
    weights = {}
    for group in manifest:
        data = bytearray()
        for path in group['paths']:
            with open(os.path.join(folder, os.path.basename(path)), 'rb') as f:
                data += f.read()
        offset = 0
        for spec in group['weights']:
            name, shape = spec['name'], [int(d) for d in spec['shape']]
            if spec.get('dtype', 'float32') != 'float32' or 'quantization' in spec:
                raise ValueError(f'{name} is not stored as plain float32, which is all this reader reads')
            end = offset + 4 * math.prod(shape)
            if end > len(data):
                raise ValueError(f'{name} needs {end} bytes, but the weights files hold {len(data)}: '
                                 'are they the files saved with this model.json?')
            values = torch.zeros(shape) if end == offset else torch.frombuffer(
                data, dtype=torch.float32, count=(end - offset) // 4, offset=offset)
            weights[name] = values.reshape(shape).clone()
            offset = end
    return weights


def load_tfjs_weights(model, model_json):
    """Copies the weights of the app's model.json + weights.bin into model (all of them, or none).

    Kernels are transposed from TensorFlow's layout, and batch norm's gamma, beta, moving mean and
    moving variance become weight, bias, running_mean and running_var. A weight that is missing,
    unexpected or of another shape raises ValueError naming it, and nothing changes.
    """
    saved = read_tfjs_weights(model_json)
    slots = _tfjs_slots(model)
    problems = [f'the file lacks {name}' for name in slots if name not in saved]
    problems += [f'the model has no place for {name}' for name in saved if name not in slots]
    for name, (tensor, _, to_tfjs) in slots.items():
        expected = list(to_tfjs(tensor.detach()).shape)
        if name in saved and list(saved[name].shape) != expected:
            problems.append(f'{name} is {list(saved[name].shape)} in the file but {expected} here')
    if problems:
        raise ValueError(f'{model_json} does not fit this model: ' + '; '.join(problems))
    with torch.no_grad():
        for name, (tensor, to_torch, _) in slots.items():
            tensor.copy_(to_torch(saved[name]))


def tfjs_weights(model):
    """model's weights under their TensorFlow.js names and in TensorFlow.js' layout."""
    return {name: to_tfjs(tensor.detach()).contiguous()
            for name, (tensor, _, to_tfjs) in _tfjs_slots(model).items()}
`;
