/** Readable, collision-free TypeScript identifiers for node ids and their extra layers. */

// Reserved words of JavaScript in strict mode and modules, plus names the generated module itself
// declares at the top level (a local of the same name inside createModel would hide them).
const reserved = new Set([
  ...'break case catch class const continue debugger default delete do else enum export extends false finally for function if import in instanceof new null return super switch this throw true try typeof var void while with yield let static implements interface package private protected public await arguments eval undefined NaN Infinity'.split(
    ' ',
  ),
  'tf',
  'apply',
  'createModel',
  'train',
  'trainOptions',
  'learningRateAt',
  'Padding2D',
  'padImages',
]);

/**
 * camelCase from a node id (`stage1_block1_conv1` -> `stage1Block1Conv1`). Underscores before a
 * digit stay (`conv_1_1`), so different ids rarely meet; ids already match ^[A-Za-z][A-Za-z0-9_]*$.
 */
export function camelIdentifier(id: string): string {
  const parts = id.split('_');
  let out = '';
  for (const part of parts) {
    if (part === '') continue;
    if (out === '') out = part[0]!.toLowerCase() + part.slice(1);
    else if (/^[0-9]/.test(part)) out += `_${part}`;
    else out += part[0]!.toUpperCase() + part.slice(1);
  }
  return out === '' ? 'node' : out;
}

/** Hands out identifiers in call order, each one new: a taken or reserved name gets a suffix. */
export class IdentifierPool {
  private readonly used = new Set<string>();

  take(wanted: string): string {
    let name = reserved.has(wanted) ? `${wanted}Node` : wanted;
    for (let n = 2; this.used.has(name); n++) name = `${wanted}${n}`;
    this.used.add(name);
    return name;
  }
}
