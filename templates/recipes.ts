/**
 * The code that writes every template and palette block. `npm run templates` saves them as JSON
 * documents next to this file; a unit test checks the saved files match this code.
 */
import { GraphBuilder } from '../src/core/builder';
import type { GraphDocument } from '../src/core/document';
import type { BlockDocument } from '../src/core/block';
import { blockFromGraph } from '../src/core/block';
import { moveNodes } from '../src/core/edit';
import { layoutPositions } from '../src/core/layout';

type Builder = GraphBuilder;

/** Positions as Tidy up would place them, so a template looks the same before and after. */
const laidOut = (doc: GraphDocument): GraphDocument => moveNodes(doc, layoutPositions(doc));

/** conv (no bias: batch norm has its own shift) -> batch norm -> optional ReLU. */
function convBn(
  g: Builder,
  id: string,
  from: string,
  conv: { kind?: 'conv' | 'stride2'; filters: number; kernel?: number; stride?: number; padding?: string },
  relu: boolean,
  lane = 0,
): string {
  const { kind = 'conv', ...params } = conv;
  const c = g.node(kind, { ...params, activation: 'linear', bias: false }, from, { id, lane });
  const bn = g.node('batchnorm', {}, c, { id: `${id}_bn`, lane });
  return relu ? g.node('activation', { fn: 'relu' }, bn, { id: `${id}_relu`, lane }) : bn;
}

/**
 * A basic residual block (two 3×3 convs). When it downsamples, the first conv has stride 2 and the
 * shortcut is a 1×1 stride-2 projection with batch norm (option B of He et al. 2016).
 */
function basicBlock(
  g: Builder,
  id: string,
  from: string,
  filters: number,
  downsample: boolean,
  residual: boolean,
): string {
  const first = downsample
    ? convBn(g, `${id}_conv1`, from, { kind: 'stride2', filters }, true)
    : convBn(g, `${id}_conv1`, from, { filters }, true);
  const second = convBn(g, `${id}_conv2`, first, { filters }, false);
  if (!residual) return g.node('activation', { fn: 'relu' }, second, { id: `${id}_relu` });
  const shortcut = downsample
    ? convBn(g, `${id}_proj`, from, { kind: 'stride2', filters, kernel: 1 }, false, 1)
    : from;
  const sum = g.node('add', {}, [second, shortcut], { id: `${id}_add` });
  return g.node('activation', { fn: 'relu' }, sum, { id: `${id}_relu` });
}

/**
 * The default: three conv-BN-ReLU blocks (16, then stride 2 with 32 and 64 channels) and a global
 * pool. Batch norm (with a quick-moving average, for short runs) is what lets it learn in a few epochs.
 */
export function starterCnn(): GraphDocument {
  const g = new GraphBuilder('Starter CNN');
  let h = g.node('input', { height: 32, width: 32, channels: 3 }, [], { id: 'image' });
  for (const [id, kind] of [
    ['conv', 'conv'],
    ['down1', 'stride2'],
    ['down2', 'stride2'],
  ] as const) {
    h = g.node(
      kind,
      kind === 'conv'
        ? { filters: 16, activation: 'linear', bias: false }
        : { activation: 'linear', bias: false },
      h,
      { id },
    );
    h = g.node('batchnorm', { momentum: 0.9 }, h, { id: `${id}_bn` });
    h = g.node('activation', { fn: 'relu' }, h, { id: `${id}_relu` });
  }
  const p = g.node('gap', {}, h, { id: 'pool' });
  g.node('output', { classes: 10 }, p, { id: 'classes' });
  return laidOut(g.build());
}

/**
 * He et al. 2016, section 4.2: 6n+2 layers on 32×32 images, stages of 16, 32, 64 filters. Smaller
 * images and widths give the classroom versions.
 */
export function cifarNet(
  name: string,
  n: number,
  residual: boolean,
  { size = 32, widths = [16, 32, 64] }: { size?: number; widths?: readonly number[] } = {},
): GraphDocument {
  const g = new GraphBuilder(name);
  const x = g.node('input', { height: size, width: size, channels: 3 }, [], { id: 'image' });
  let h = convBn(g, 'stem', x, { filters: widths[0]! }, true);
  widths.forEach((filters, stage) => {
    // Stages open folded, so the whole network reads at a glance; a stage unfolds into its blocks.
    g.group(`stage${stage + 1}`, `Stage ${stage + 1}`, true, () => {
      for (let b = 0; b < n; b++) {
        const id = `stage${stage + 1}_block${b + 1}`;
        h = g.group(id, blockLabel(residual, stage > 0 && b === 0), false, () =>
          basicBlock(g, id, h, filters, stage > 0 && b === 0, residual),
        );
      }
    });
  });
  const p = g.node('gap', {}, h, { id: 'pool' });
  g.node('output', { classes: 10 }, p, { id: 'classes' });
  return laidOut(g.build());
}

const blockLabel = (residual: boolean, downsample: boolean): string =>
  `${downsample ? 'Downsampling ' : ''}${residual ? 'residual block' : 'plain block'}`.replace(/^./, (c) =>
    c.toUpperCase(),
  );

export const plain20 = (): GraphDocument => cifarNet('plain-20', 3, false);
export const resnet20 = (): GraphDocument => cifarNet('ResNet-20', 3, true);
export const plain56 = (): GraphDocument => cifarNet('plain-56', 9, false);
export const resnet56 = (): GraphDocument => cifarNet('ResNet-56', 9, true);

/**
 * ResNet-18/34 as in torchvision: 7×7 stride-2 stem (padding 3), 3×3 stride-2 max pool (padding 1),
 * four stages of basic blocks, global average pool, one dense layer.
 */
function imagenetResnet(
  name: string,
  blocks: readonly number[],
  size: number,
  classes: number,
): GraphDocument {
  const g = new GraphBuilder(name);
  const x = g.node('input', { height: size, width: size, channels: 3 }, [], { id: 'image' });
  let h = g.group('stem', 'Stem', true, () => {
    const padded = g.node('padding', { top: 3, bottom: 3, left: 3, right: 3 }, x, { id: 'stem_pad' });
    const relu = convBn(g, 'stem', padded, { filters: 64, kernel: 7, stride: 2, padding: 'valid' }, true);
    const poolPad = g.node('padding', { top: 1, bottom: 1, left: 1, right: 1 }, relu, {
      id: 'stem_pool_pad',
    });
    return g.node('maxpool', { size: 3, stride: 2 }, poolPad, { id: 'stem_pool' });
  });
  blocks.forEach((count, stage) => {
    const filters = 64 * 2 ** stage;
    g.group(`layer${stage + 1}`, `Stage ${stage + 1}`, true, () => {
      for (let b = 0; b < count; b++) {
        const id = `layer${stage + 1}_${b}`;
        h = g.group(id, blockLabel(true, stage > 0 && b === 0), false, () =>
          basicBlock(g, id, h, filters, stage > 0 && b === 0, true),
        );
      }
    });
  });
  const p = g.node('gap', {}, h, { id: 'pool' });
  g.node('output', { classes }, p, { id: 'classes' });
  return laidOut(g.build());
}

export const resnet18 = (): GraphDocument => imagenetResnet('ResNet-18', [2, 2, 2, 2], 224, 1000);
export const resnet34 = (): GraphDocument => imagenetResnet('ResNet-34', [3, 4, 6, 3], 224, 1000);
/** The ResNet-34 body on 352×352 pet photos, 37 breeds. */
export const lessonResnet34 = (): GraphDocument =>
  imagenetResnet('Lesson: ResNet-34 for 37 pet breeds', [3, 4, 6, 3], 352, 37);

/** The network CNN Explainer visualises: two blocks of two 3×3 convs with 10 filters and a max pool. */
export function tinyVgg(): GraphDocument {
  const g = new GraphBuilder('Tiny VGG');
  let h = g.node('input', { height: 64, width: 64, channels: 3 }, [], { id: 'image' });
  for (const block of [1, 2]) {
    h = g.node('conv', { filters: 10, padding: 'valid' }, h, { id: `conv_${block}_1` });
    h = g.node('conv', { filters: 10, padding: 'valid' }, h, { id: `conv_${block}_2` });
    h = g.node('maxpool', { size: 2 }, h, { id: `max_pool_${block}` });
  }
  const f = g.node('flatten', {}, h, { id: 'flatten' });
  g.node('output', { classes: 10 }, f, { id: 'classes' });
  return laidOut(g.build());
}

// Palette blocks: built on a placeholder input called "entry", which becomes the block's way in.

export function residualBlock(): BlockDocument {
  const g = new GraphBuilder('Residual block');
  const x = g.node('input', { height: 16, width: 16, channels: 16 }, [], { id: 'entry' });
  const out = basicBlock(g, 'res', x, 16, false, true);
  return blockFromGraph(laidOut(g.build()), 'entry', out);
}

export function downsampleResidualBlock(): BlockDocument {
  const g = new GraphBuilder('Downsampling residual block');
  const x = g.node('input', { height: 16, width: 16, channels: 16 }, [], { id: 'entry' });
  const out = basicBlock(g, 'down', x, 32, true, true);
  return blockFromGraph(laidOut(g.build()), 'entry', out);
}

export function convBnRelu(): BlockDocument {
  const g = new GraphBuilder('Conv-BN-ReLU');
  const x = g.node('input', { height: 16, width: 16, channels: 16 }, [], { id: 'entry' });
  const out = convBn(g, 'cbr', x, { filters: 32 }, true);
  return blockFromGraph(laidOut(g.build()), 'entry', out);
}
