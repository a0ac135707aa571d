/**
 * Runs generated PyTorch code with a real PyTorch (Debian's python3-torch at /usr/bin/python3, or
 * TORCH_PYTHON): writes the files and the tfjs weights, runs support/pytorch/check.py once per
 * batch of cases, and reads its answers back.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type * as tfl from '@tensorflow/tfjs-layers';
import type { GraphDocument } from '../../../src/core/document';
import { generatePytorch } from '../../../src/codegen/pytorch';
import type { PytorchOptions } from '../../../src/codegen/pytorch';
import { modelJson } from '../../../src/model-files/writer';
import { toArtifacts } from '../../../src/train/saved-weights';

export const python = process.env['TORCH_PYTHON'] ?? '/usr/bin/python3';
const checker = fileURLToPath(new URL('./pytorch/check.py', import.meta.url));

/** Why PyTorch cannot run here, or null when it can. */
export function torchMissing(): string | null {
  const r = spawnSync(python, ['-c', 'import torch, PIL'], { encoding: 'utf8' });
  return r.status === 0
    ? null
    : `${python} cannot import torch and PIL (apt-get install python3-torch python3-pil): ${r.stderr || r.error?.message}`;
}

export const workDir = (): string => mkdtempSync(join(tmpdir(), 'convcanvas-pytorch-'));

/** Writes model.py, train.py and README.md for `doc` into a new folder under `root`; returns it. */
export function writeExport(
  root: string,
  name: string,
  doc: GraphDocument,
  options?: PytorchOptions,
): string {
  const result = generatePytorch(doc, options);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  for (const f of result.files) writeFileSync(join(dir, f.name), f.code);
  return dir;
}

/** Saves a tfjs model as the app downloads it (model.json + weights.bin); returns model.json's path. */
export async function saveTfjs(model: tfl.LayersModel, dir: string): Promise<string> {
  const artifacts = await toArtifacts(model);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData));
  writeFileSync(join(dir, 'model.json'), modelJson(artifacts, './weights.bin'));
  return join(dir, 'model.json');
}

/** Writes float32 values as a raw file; returns its path. */
export function writeFloats(path: string, values: Float32Array): string {
  writeFileSync(path, new Uint8Array(values.buffer, values.byteOffset, values.byteLength));
  return path;
}

/** Runs check.py once on cases of several kinds; returns each kind's results, in order. */
export function runJobs(
  root: string,
  jobs: Readonly<Record<string, readonly object[]>>,
): Record<string, unknown[]> {
  const name = Object.keys(jobs).join('-');
  const job = join(root, `${name}-job.json`);
  const out = join(root, `${name}-out.json`);
  writeFileSync(job, JSON.stringify({ jobs, out }));
  const r = spawnSync(python, [checker, job], { encoding: 'utf8', timeout: 300_000 });
  if (r.status !== 0)
    throw new Error(`check.py ${name} failed (${r.status}):\n${r.stderr}${r.error?.message ?? ''}`);
  return JSON.parse(readFileSync(out, 'utf8')) as Record<string, unknown[]>;
}

/** Runs check.py on cases of one kind; returns their results. */
export const runChecks = <T>(root: string, kind: string, cases: readonly object[]): T[] =>
  runJobs(root, { [kind]: cases })[kind] as T[];
