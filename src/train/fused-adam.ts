/**
 * tfjs' Adam, stepping each variable with one ADAM_UPDATE kernel where the backend has one (cpu and
 * wasm here) and with tfjs' own chain of kernels elsewhere. Same state, same arithmetic.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { NamedTensor, NamedVariableMap } from '@tensorflow/tfjs-core/dist/tensor_types';
import { ADAM_UPDATE, type AdamUpdateAttrs } from './kernels/adam-update';

interface Slot {
  readonly originalName: string;
  readonly variable: tf.Variable;
}

/** AdamOptimizer's own fields, which its type keeps private. */
interface AdamState {
  learningRate: number;
  readonly beta1: number;
  readonly beta2: number;
  readonly epsilon: number;
  readonly accBeta1: tf.Variable;
  readonly accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  incrementIterations(): void;
}

export class FusedAdam extends tf.AdamOptimizer {
  /** β₁ᵗ and β₂ᵗ as tfjs holds them (float32), read once and then kept here. */
  private accumulated: [number, number] | undefined;

  override applyGradients(gradients: NamedVariableMap | NamedTensor[]): void {
    if (tf.getKernel(ADAM_UPDATE, tf.getBackend()) === undefined) {
      this.accumulated = undefined;
      super.applyGradients(gradients);
      return;
    }
    const s = this as unknown as AdamState;
    const names = Array.isArray(gradients) ? gradients.map((g) => g.name) : Object.keys(gradients);
    const [acc1, acc2] = (this.accumulated ??= [s.accBeta1.dataSync()[0]!, s.accBeta2.dataSync()[0]!]);
    const attrs: AdamUpdateAttrs = {
      beta1: s.beta1,
      beta2: s.beta2,
      epsilon: s.epsilon,
      learningRate: s.learningRate,
      oneMinusAccBeta1: Math.fround(1 - acc1),
      oneMinusAccBeta2: Math.fround(1 - acc2),
    };
    tf.tidy(() => {
      names.forEach((name, i) => {
        const value = tf.engine().registeredVariables[name]!;
        s.accumulatedFirstMoment[i] ??= {
          originalName: `${name}/m`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        s.accumulatedSecondMoment[i] ??= {
          originalName: `${name}/v`,
          variable: tf.tidy(() => tf.zerosLike(value).variable(false)),
        };
        const gradient = Array.isArray(gradients) ? gradients[i]!.tensor : gradients[name];
        if (gradient === undefined) return;
        const m = s.accumulatedFirstMoment[i].variable;
        const v = s.accumulatedSecondMoment[i].variable;
        const [newValue, newM, newV] = tf
          .engine()
          .runKernel(ADAM_UPDATE, { value, m, v, gradient }, { ...attrs }) as tf.Tensor[];
        m.assign(newM!);
        v.assign(newV!);
        value.assign(newValue!);
      });
      s.accBeta1.assign(tf.mul(s.accBeta1, s.beta1));
      s.accBeta2.assign(tf.mul(s.accBeta2, s.beta2));
    });
    this.accumulated = [Math.fround(acc1 * Math.fround(s.beta1)), Math.fround(acc2 * Math.fround(s.beta2))];
    s.incrementIterations();
  }

  override async setWeights(weights: NamedTensor[]): Promise<void> {
    this.accumulated = undefined;
    await super.setWeights(weights);
  }
}
