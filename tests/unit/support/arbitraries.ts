/** fast-check generators derived from the node kinds' own parameter declarations. */
import fc from 'fast-check';
import type { AnyNodeDef, ParamValuesLoose } from '../../../nodes/define';
import type { ParamSpec } from '../../../nodes/params';

/** Small values keep models tiny; the range still crosses every "does it fit" boundary. */
const SMALL_SPAN = 11;

export function paramArbitrary(spec: ParamSpec): fc.Arbitrary<number | string | boolean> {
  switch (spec.type) {
    case 'int':
      return fc.integer({ min: spec.min, max: Math.min(spec.max, spec.min + SMALL_SPAN) });
    case 'autoInt':
      return fc.oneof(
        fc.constant('auto' as const),
        fc.integer({ min: spec.min, max: Math.min(spec.max, spec.min + SMALL_SPAN) }),
      );
    case 'float':
      return fc.oneof(
        fc.constantFrom(spec.min, spec.default, spec.max),
        fc.double({ min: spec.min, max: spec.max, noNaN: true }),
      );
    case 'choice':
      return fc.constantFrom(...spec.options.map((o) => o.value));
    case 'bool':
      return fc.boolean();
  }
}

export function paramsArbitrary(def: AnyNodeDef): fc.Arbitrary<ParamValuesLoose> {
  const entries = Object.entries(def.params).map(([k, spec]) => [k, paramArbitrary(spec)] as const);
  return fc.record(Object.fromEntries(entries)) as fc.Arbitrary<ParamValuesLoose>;
}

/** Image shapes from 1×1 up, and short vectors. */
export const shapeArbitrary: fc.Arbitrary<number[]> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.tuple(
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 12 }),
      fc.integer({ min: 1, max: 6 }),
    ),
  },
  { weight: 1, arbitrary: fc.tuple(fc.integer({ min: 1, max: 24 })) },
);
