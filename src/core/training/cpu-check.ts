/** The result of comparing a GPU backend's forward pass with the CPU's (src/train/cpu-check.ts). */
export interface CpuCheck {
  readonly images: number;
  /** Largest absolute difference between the two backends' class probabilities. */
  readonly maxDifference: number;
}

/** Probabilities differ by more than this only when something computes differently. */
export const CPU_CHECK_TOLERANCE = 1e-3;
