/** Python literals and identifiers for the generated PyTorch files. */

/** A Python literal for a number, string, boolean, array (a list) or plain object (a dict). */
export function pyLiteral(value: unknown): string {
  if (typeof value === 'string') return pyString(value);
  if (typeof value === 'boolean') return value ? 'True' : 'False';
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return "float('nan')";
    if (!Number.isFinite(value)) return value > 0 ? "float('inf')" : "float('-inf')";
    return String(value);
  }
  if (Array.isArray(value)) return `[${value.map(pyLiteral).join(', ')}]`;
  if (value !== null && typeof value === 'object')
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pyString(k)}: ${pyLiteral(v)}`)
      .join(', ')}}`;
  return 'None';
}

/** A tuple of numbers: `(1, 2)`, and `(1,)` for one. */
export const pyTuple = (values: readonly number[]): string =>
  values.length === 1 ? `(${values[0]!},)` : `(${values.join(', ')})`;

export function pyString(s: string): string {
  return `'${s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\t/g, '\\t')}'`;
}

/** Text safe inside a `#` comment or a docstring line: one line, no control characters or quotes runs. */
export function pyCommentText(s: string): string {
  return s
    .replace(/[\p{Cc}\u2028\u2029]+/gu, ' ')
    .replace(/\\/g, '/')
    .replace(/"""/g, '"')
    .trim();
}

// Python keywords, nn.Module's attributes (a node named `float` or `training` would hide the
// method or flag), and the names model.py itself defines or reads inside forward().
const reserved = new Set([
  ...'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield'.split(
    ' ',
  ),
  ...'add_module apply bfloat16 buffers call_super_init children compile cpu cuda double dump_patches eval extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu load_state_dict modules mtia named_buffers named_children named_modules named_parameters parameters register_backward_hook register_buffer register_forward_hook register_forward_pre_hook register_full_backward_hook register_full_backward_pre_hook register_load_state_dict_post_hook register_load_state_dict_pre_hook register_module register_parameter register_state_dict_post_hook register_state_dict_pre_hook requires_grad_ set_extra_state set_submodule share_memory state_dict to to_empty train training type xpu zero_grad'.split(
    ' ',
  ),
  ...'self torch nn F json math os Model BatchNorm symmetric_pad avg_pool_same load_tfjs_weights tfjs_weights read_tfjs_weights INPUT_SHAPE CLASSES LAYER_NAMES FLATTENED_FROM'.split(
    ' ',
  ),
]);

/**
 * Hands out Python identifiers for node ids (which already match ^[A-Za-z][A-Za-z0-9_]*$), each
 * one new: a reserved or taken name gets a trailing underscore, then a number.
 */
export class PythonNames {
  private readonly used = new Set<string>();

  take(wanted: string): string {
    let name = reserved.has(wanted) ? `${wanted}_` : wanted;
    for (let n = 2; this.used.has(name); n++) name = `${wanted}_${n}`;
    this.used.add(name);
    return name;
  }
}
