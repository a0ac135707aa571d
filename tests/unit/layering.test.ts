/**
 * The layering rules (.dependency-cruiser.cjs) catch what they promise: each case below is a small
 * tree with one violation, cruised with the project's own rules.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { cruise } from 'dependency-cruiser';
import type { ICruiseResult, IForbiddenRuleType } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

const require = createRequire(import.meta.url);
const rules = (require('../../.dependency-cruiser.cjs') as { forbidden: IForbiddenRuleType[] }).forbidden;

/** Cruises a tree of files (path -> source) with the project's rules; returns the broken rules' names. */
async function violations(files: Record<string, string>): Promise<string[]> {
  const root = mkdtempSync(join(tmpdir(), 'convcanvas-layers-'));
  for (const [path, source] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), source);
  }
  const result = await cruise(['.'], {
    baseDir: root,
    validate: true,
    ruleSet: { forbidden: rules },
    tsPreCompilationDeps: true,
    doNotFollow: { path: 'node_modules' },
  });
  const output = result.output as ICruiseResult;
  return [...new Set(output.summary.violations.map((v) => v.rule.name))].sort();
}

describe('layering rules', () => {
  it('pass a tree that follows them', async () => {
    expect(
      await violations({
        'nodes/conv.ts': 'export const conv = 1;\n',
        'src/core/analyze.ts': "import { conv } from '../../nodes/conv';\nexport const a = conv;\n",
        'src/compile/compile.ts':
          "import * as tf from '@tensorflow/tfjs-core';\nimport { a } from '../core/analyze';\nexport const c = [tf, a];\n",
        'src/ui/App.tsx':
          "import { useState } from 'react';\nimport { a } from '../core/analyze';\nexport const u = [useState, a];\n",
      }),
    ).toEqual([]);
  });

  it.each([
    ['nodes import tfjs', { 'nodes/x.ts': "import '@tensorflow/tfjs-core';\n" }, 'page-side-without-tfjs'],
    ['nodes import React', { 'nodes/x.ts': "import 'react';\n" }, 'react-only-in-ui'],
    ['core imports zustand', { 'src/core/x.ts': "import 'zustand';\n" }, 'state-only-in-store-and-ui'],
    [
      'core imports tfjs, even for types',
      { 'src/core/x.ts': "import type { Tensor } from '@tensorflow/tfjs-core';\nexport type T = Tensor;\n" },
      'page-side-without-tfjs',
    ],
    [
      'the store imports the UI',
      {
        'src/ui/a.ts': 'export const a = 1;\n',
        'src/store/s.ts': "import { a } from '../ui/a';\nexport const s = a;\n",
      },
      'store-not-ui',
    ],
    [
      'the compiler imports the worker',
      {
        'src/worker/client.ts': 'export const w = 1;\n',
        'src/compile/c.ts': "import { w } from '../worker/client';\nexport const c = w;\n",
      },
      'compile-below-runtime',
    ],
    [
      'a page-side file imports the tfjs side',
      {
        'src/train/t.ts': 'export const t = 1;\n',
        'src/ui/u.ts': "import { t } from '../train/t';\nexport const u = t;\n",
      },
      'page-side-not-above-tfjs',
    ],
    [
      'the session imports the Node image decoders',
      {
        'src/data/node/decode.ts': 'export const d = 1;\n',
        'src/session/s.ts': "import { d } from '../data/node/decode';\nexport const s = d;\n",
      },
      'node-readers-stay-in-node',
    ],
  ])('fail when %s', async (_what, files, rule) => {
    expect(await violations(files)).toContain(rule);
  });

  it('fail on an import cycle made of type-only imports', async () => {
    expect(
      await violations({
        'src/core/a.ts': "import type { B } from './b';\nexport interface A { b?: B }\n",
        'src/core/b.ts': "import type { A } from './a';\nexport interface B { a?: A }\n",
      }),
    ).toEqual(['no-cycles']);
  });
});
