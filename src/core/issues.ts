/** A problem with a loaded document, located by path (and node or link id when there is one). */
export interface DocError {
  /** JSON path such as `nodes[3].params.filters`, or `(file)` for the text itself. */
  readonly path: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
  /** The layer of an imported model the problem is about. */
  readonly layer?: string;
  readonly message: string;
}

/** A problem of the graph as a whole (as opposed to one node's shape error). */
export interface GraphIssue {
  readonly severity: 'error' | 'warning';
  readonly message: string;
  readonly nodeIds: readonly string[];
}

/** "node 'conv1' (nodes[3].params.filters): must be at least 1" */
export function formatDocError(e: DocError): string {
  const who =
    e.layer !== undefined
      ? `layer '${e.layer}' `
      : e.nodeId !== undefined
        ? `node '${e.nodeId}' `
        : e.edgeId !== undefined
          ? `link '${e.edgeId}' `
          : '';
  return `${who}(${e.path}): ${e.message}`;
}

/** `"a", "b", "c" and 8,997 more`: a few quoted ids and the count of the rest. */
export function quoteSome(ids: readonly string[], separator = ', ', shown = 5): string {
  const quoted = ids
    .slice(0, shown)
    .map((id) => `"${id}"`)
    .join(separator);
  const rest = ids.length - shown;
  return rest > 0 ? `${quoted} and ${rest.toLocaleString('en-US')} more` : quoted;
}
