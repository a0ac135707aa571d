export type { CodegenOptions, CodegenResult, GeneratedModule } from './generate';
export { generateModule } from './generate';
