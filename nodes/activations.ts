import { choice } from './params';

/** Activations a conv or dense layer can apply itself (tfjs activation identifiers). */
export const fusedActivations = [
  { value: 'linear', label: 'none' },
  { value: 'relu', label: 'ReLU' },
  { value: 'elu', label: 'ELU' },
  { value: 'gelu', label: 'GELU' },
  { value: 'sigmoid', label: 'sigmoid' },
  { value: 'tanh', label: 'tanh' },
] as const;

export type FusedActivation = (typeof fusedActivations)[number]['value'];

/** Functions the Activation node applies on its own (tfjs identifiers, plus leaky_relu). */
export const standaloneActivations = [
  { value: 'relu', label: 'ReLU' },
  { value: 'leaky_relu', label: 'leaky ReLU' },
  { value: 'elu', label: 'ELU' },
  { value: 'gelu', label: 'GELU' },
  { value: 'sigmoid', label: 'sigmoid' },
  { value: 'tanh', label: 'tanh' },
  { value: 'softmax', label: 'softmax' },
] as const;

export const activationParam = (def: FusedActivation) =>
  choice(fusedActivations, def, 'The function applied to every output value; ReLU is the usual choice.');

/** Short label for node cards; empty for no activation. */
export const activationTag = (a: string): string => (a === 'linear' ? '' : ` ${a}`);
