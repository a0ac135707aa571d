/**
 * Checks generated modules the way a user would run them: type-check with the TypeScript compiler
 * (strict), then transpile and import them in Node against the real `@tensorflow/tfjs` package.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';

const require = createRequire(import.meta.url);
const tfjsTypes = join(require.resolve('@tensorflow/tfjs/package.json'), '..', 'dist', 'index.d.ts');
const tfjsMain = pathToFileURL(require.resolve('@tensorflow/tfjs')).href;
const dir = mkdtempSync(join(tmpdir(), 'convcanvas-codegen-'));

/** Strict settings a careful project would use, resolving `@tensorflow/tfjs` from this repository. */
const compilerOptions: ts.CompilerOptions = {
  strict: true,
  noImplicitOverride: true,
  noUnusedLocals: true,
  noUnusedParameters: true,
  noUncheckedIndexedAccess: true,
  noFallthroughCasesInSwitch: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
  types: [],
  skipLibCheck: true,
  noEmit: true,
  paths: { '@tensorflow/tfjs': [tfjsTypes] },
};

/** Type-checks modules together (one program is much faster than one each); returns the diagnostics. */
export function typeCheck(modules: ReadonlyMap<string, string>): string[] {
  const files = [...modules].map(([name, code]) => {
    const file = join(dir, `${name}.ts`);
    writeFileSync(file, code);
    return file;
  });
  const program = ts.createProgram(files, compilerOptions);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where =
      d.file && d.start !== undefined
        ? `${d.file.fileName}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}: `
        : '';
    return where + ts.flattenDiagnosticMessageText(d.messageText, '\n');
  });
}

let serial = 0;

/** Transpiles a generated module and imports it; its `@tensorflow/tfjs` is the installed package. */
export async function importModule<T>(code: string): Promise<T> {
  const js = ts.transpileModule(code, {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
  }).outputText;
  const file = join(dir, `module-${++serial}.mjs`);
  writeFileSync(file, js.replace(/from '@tensorflow\/tfjs'/g, `from '${tfjsMain}'`));
  return (await import(/* @vite-ignore */ pathToFileURL(file).href)) as T;
}
