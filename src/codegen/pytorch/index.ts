/** Graph -> model.py, train.py and README.md for PyTorch. */
import type { AnalysisError, GraphAnalysis } from '../../core/analyze';
import { analysisErrors, analyzeGraph } from '../../core/analyze';
import type { GraphDocument } from '../../core/document';
import type { AugmentConfig, ResizeMode } from '../../core/training/augment';
import { noAugmentation } from '../../core/training/augment';
import type { TrainConfig } from '../../core/training/settings';
import { defaultTrainConfig } from '../../core/training/settings';
import type { GeneratedFile } from './module';
import { pytorchModel } from './module';
import { pyCommentText } from './python';
import { readme } from './readme';
import { trainScript } from './train-script';

export type { GeneratedFile };

export interface PytorchOptions {
  readonly train?: TrainConfig;
  readonly augment?: AugmentConfig;
  readonly resize?: ResizeMode;
}

export type PytorchResult =
  | { readonly ok: true; readonly files: readonly GeneratedFile[] }
  | { readonly ok: false; readonly errors: readonly AnalysisError[] };

const plain = (code: string, name: string): GeneratedFile => ({
  name,
  code,
  lineNodes: code
    .split('\n')
    .slice(0, -1)
    .map(() => null),
});

/** model.py (lines linked to nodes), train.py and README.md, or why the graph cannot be built. */
export function generatePytorch(
  doc: GraphDocument,
  options: PytorchOptions = {},
  analysis: GraphAnalysis = analyzeGraph(doc),
): PytorchResult {
  if (!analysis.valid || analysis.inputId === undefined || analysis.outputId === undefined)
    return { ok: false, errors: analysisErrors(analysis) };
  const name = pyCommentText(doc.name) || 'Model';
  return {
    ok: true,
    files: [
      pytorchModel(doc, analysis),
      plain(
        trainScript({
          name,
          train: options.train ?? defaultTrainConfig,
          augment: options.augment ?? noAugmentation,
          resize: options.resize ?? 'centre-crop',
        }),
        'train.py',
      ),
      plain(readme(name, analysis), 'README.md'),
    ],
  };
}
