/** Whether a link may be made, and if not, why, in words shown next to the pointer. */
import { getNodeDef } from '../../nodes';
import type { Shape } from '../../nodes/shape';
import type { GraphAnalysis } from './analyze';
import type { GraphDocument, GraphEdge } from './document';
import { handleIndex } from './document';
import type { Link } from './edit';
import { ancestors } from './graph';

export type LinkCheck =
  | {
      readonly ok: true;
      /** The link now in that slot, which the new one replaces. */ readonly replaces?: GraphEdge;
    }
  | { readonly ok: false; readonly reason: string };

export function checkLink(doc: GraphDocument, analysis: GraphAnalysis, link: Link): LinkCheck {
  const source = analysis.index.nodes.get(link.source);
  const target = analysis.index.nodes.get(link.target);
  if (source === undefined || target === undefined)
    return { ok: false, reason: 'That node no longer exists.' };
  if (link.source === link.target) return { ok: false, reason: 'A node cannot feed itself.' };
  const def = getNodeDef(target.kind);
  if (def === undefined) return { ok: false, reason: 'Unknown node kind.' };
  if (def.inputs.max === 0)
    return { ok: false, reason: `${def.label} takes no inputs: it is where data starts.` };
  if (handleIndex(link.targetHandle) >= def.inputs.max)
    return { ok: false, reason: `${def.label} has no input ${link.targetHandle}.` };
  if (ancestors(analysis.index, link.source).has(link.target))
    return {
      ok: false,
      reason: 'This link would make a loop: data must flow one way, from input to output.',
    };

  const replaces = doc.edges.find((e) => e.target === link.target && e.targetHandle === link.targetHandle);
  if (replaces?.source === link.source) return { ok: false, reason: 'These two are already linked here.' };

  // Would the target's shape rule accept this input next to the ones it keeps?
  const incoming = (analysis.index.incoming.get(link.target) ?? []).filter((e) => e !== replaces);
  const slots = [...incoming.map((e) => ({ slot: handleIndex(e.targetHandle), source: e.source }))];
  slots.push({ slot: handleIndex(link.targetHandle), source: link.source });
  slots.sort((a, b) => a.slot - b.slot);
  const shapes: Shape[] = [];
  for (const { source: id } of slots) {
    const r = analysis.nodes.get(id);
    if (r?.status !== 'ok') return replaces === undefined ? { ok: true } : { ok: true, replaces };
    shapes.push(r.shape);
  }
  if (shapes.length >= def.inputs.min) {
    const inferred = def.infer(shapes, target.params);
    if (!inferred.ok) return { ok: false, reason: inferred.error };
  }
  return replaces === undefined ? { ok: true } : { ok: true, replaces };
}
