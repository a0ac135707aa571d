/**
 * The template catalogue: ready-made graphs with a title and a one-line blurb, plus the blocks the
 * palette inserts. Documents are loaded through the same validating loader as any file.
 */
import lessonResnet34Pets from './lesson-resnet34-pets.json';
import plain20 from './plain-20.json';
import plain56 from './plain-56.json';
import resnet18 from './resnet-18.json';
import resnet20 from './resnet-20.json';
import resnet56 from './resnet-56.json';
import resnet34 from './resnet-34.json';
import starterCnn from './starter-cnn.json';
import tinyVgg from './tiny-vgg.json';
import convBnRelu from './blocks/conv-bn-relu.json';
import downsampleResidualBlock from './blocks/downsample-residual-block.json';
import residualBlock from './blocks/residual-block.json';

export interface TemplateInfo {
  /** Used in links: `?template=<name>`. */
  readonly name: string;
  readonly title: string;
  readonly blurb: string;
  /** The raw document; pass it to loadGraph. */
  readonly document: unknown;
}

export const DEFAULT_TEMPLATE = 'starter-cnn';

export const templates: readonly TemplateInfo[] = [
  {
    name: 'starter-cnn',
    title: 'Starter CNN',
    blurb:
      'Three conv–batch-norm–ReLU blocks and a global pool: 24k weights that learn the shapes in a few epochs.',
    document: starterCnn,
  },
  {
    name: 'plain-20',
    title: 'plain-20',
    blurb:
      'He et al. 2016 §4.2: 19 stacked 3×3 convs for 32×32 images, no shortcuts. Compare with ResNet-20.',
    document: plain20,
  },
  {
    name: 'resnet-20',
    title: 'ResNet-20',
    blurb: 'plain-20 plus skip connections (1×1 stride-2 projections where the size changes).',
    document: resnet20,
  },
  {
    name: 'plain-56',
    title: 'plain-56',
    blurb:
      'He et al. 2016 §4.2 at depth 56: 55 stacked 3×3 convs. Deeper, yet it trains worse than plain-20: the degradation problem.',
    document: plain56,
  },
  {
    name: 'resnet-56',
    title: 'ResNet-56',
    blurb:
      'plain-56 plus skip connections: 0.85M weights that train easily (Li et al. 2018 draw its smooth loss surface).',
    document: resnet56,
  },
  {
    name: 'resnet-18',
    title: 'ResNet-18',
    blurb: 'The classic 224×224 ImageNet network: 11.7M weights, as in the paper and torchvision.',
    document: resnet18,
  },
  {
    name: 'resnet-34',
    title: 'ResNet-34',
    blurb: 'Deeper ResNet for 224×224 ImageNet: 3-4-6-3 basic blocks, 21.8M weights.',
    document: resnet34,
  },
  {
    name: 'lesson-resnet34-pets',
    title: 'Lesson: ResNet-34 for pets',
    blurb: 'The ResNet-34 body on 352×352 photos with a 37-breed classifier, as in the pets lesson.',
    document: lessonResnet34Pets,
  },
  {
    name: 'tiny-vgg',
    title: 'Tiny VGG',
    blurb:
      'The small network CNN Explainer shows: two blocks of two 3×3 convs and a max pool on 64×64 images.',
    document: tinyVgg,
  },
];

export function findTemplate(name: string): TemplateInfo | undefined {
  return templates.find((t) => t.name === name);
}

export interface BlockInfo {
  readonly name: string;
  readonly title: string;
  readonly blurb: string;
  /** Validate with blockDocumentSchema before use. */
  readonly block: unknown;
}

export const blocks: readonly BlockInfo[] = [
  {
    name: 'residual-block',
    title: 'Residual block',
    blurb: 'Two 3×3 conv + batch norm layers with the input added back before the last ReLU.',
    block: residualBlock,
  },
  {
    name: 'downsample-residual-block',
    title: 'Downsampling residual block',
    blurb: 'Halves H×W and doubles channels; a 1×1 stride-2 projection keeps the shortcut the same shape.',
    block: downsampleResidualBlock,
  },
  {
    name: 'conv-bn-relu',
    title: 'Conv-BN-ReLU',
    blurb: 'A 3×3 convolution without bias, batch norm, then ReLU: the workhorse of modern CNNs.',
    block: convBnRelu,
  },
];
