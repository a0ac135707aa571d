/** The compute backends a model can run on, as the page, the worker and the CLI name them. */

export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';
export type BackendChoice = BackendName | 'auto';

/** The backend menu, in the order the automatic choice tries them. */
export const backendChoices: readonly { readonly value: BackendChoice; readonly label: string }[] = [
  { value: 'auto', label: 'Automatic' },
  { value: 'webgpu', label: 'WebGPU' },
  { value: 'webgl', label: 'WebGL' },
  { value: 'wasm', label: 'WebAssembly' },
  { value: 'cpu', label: 'JavaScript (cpu)' },
];

export const isBackendChoice = (value: unknown): value is BackendChoice =>
  backendChoices.some((c) => c.value === value);

/** Where a backend does the arithmetic, in words a beginner knows. */
export const backendInPlainWords: Readonly<Record<BackendName, string>> = {
  webgpu: 'your graphics card (WebGPU)',
  webgl: 'your graphics card (WebGL)',
  wasm: 'your processor (WebAssembly)',
  cpu: 'your processor, in plain JavaScript (the slowest way)',
};
