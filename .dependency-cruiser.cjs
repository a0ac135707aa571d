/**
 * The layering of ConvCanvas, checked on every lint (docs/ARCHITECTURE.md draws it). A folder's place
 * tells whether it may use TensorFlow.js, React or the store; imports point one way and never loop
 * (type-only imports included).
 */

/** Folders whose code runs on the page (or is pure): never TensorFlow.js. */
const PAGE_SIDE = [
  '^nodes/',
  '^templates/',
  '^src/core/',
  '^src/model-files/',
  '^src/import/',
  '^src/codegen/',
  '^src/data/',
  '^src/store/',
  '^src/ui/',
  '^src/main[.]tsx$',
  '^src/worker/client[.]ts$',
  '^src/worker/protocol[.]ts$',
];
/** Folders whose code needs TensorFlow.js at run time. */
const TFJS_SIDE = '^src/(compile|train|session|inspect|surface)/|^src/worker/train-worker[.]ts$';
const TFJS = '^@tensorflow/|node_modules/@tensorflow/';
const REACT =
  '^(react|react-dom|@xyflow/react|@radix-ui/[^/]+|monaco-editor|uplot)($|/)|node_modules/(react|react-dom|@xyflow|@radix-ui|monaco-editor|uplot)/';
const STATE = '^(zustand|zundo)($|/)|node_modules/(zustand|zundo)/';

/** `from` may import nothing matching `to` (type-only imports too, unless `runtimeOnly`). */
const forbid = (name, comment, from, to, runtimeOnly = false) => ({
  name,
  comment,
  severity: 'error',
  from: { path: from },
  to: { path: to, ...(runtimeOnly ? { dependencyTypesNot: ['type-only'] } : {}) },
});

module.exports = {
  forbidden: [
    {
      name: 'no-cycles',
      comment:
        'Imports point one way: a loop (type-only imports included) means a contract lives in the wrong place.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    forbid('page-side-without-tfjs', 'Page-side and pure code never loads TensorFlow.js.', PAGE_SIDE, TFJS),
    forbid(
      'page-side-not-above-tfjs',
      'Page-side code reaches the tfjs side only through the worker protocol.',
      PAGE_SIDE,
      TFJS_SIDE,
    ),
    forbid(
      'react-only-in-ui',
      'React, React Flow, Monaco and charts belong to src/ui (and the entry point).',
      '^(nodes|templates|bench)/|^src/(?!ui/|main[.]tsx$)',
      REACT,
    ),
    forbid(
      'state-only-in-store-and-ui',
      'zustand/zundo belong to the store (and the UI hooks).',
      '^(nodes|templates)/|^src/(?!store/|ui/)',
      STATE,
    ),
    forbid(
      'nodes-stand-alone',
      'A node kind knows only node kinds.',
      '^nodes/',
      '^(src|templates|bench|tests)/',
    ),
    forbid(
      'core-below-everything',
      'core is the pure domain: it imports only nodes and itself.',
      '^src/core/',
      '^src/(?!core/)|^(templates|bench|tests)/',
    ),
    forbid(
      'model-files-below-users',
      'The model-file format is imported by its users, never the reverse.',
      '^src/model-files/',
      '^src/(?!core/|model-files/)|^(templates|bench|tests)/',
    ),
    forbid('store-not-ui', 'The store never imports the UI.', '^src/store/', '^src/ui/|^src/main[.]tsx$'),
    forbid(
      'compile-below-runtime',
      'The compiler knows nothing of the worker, session, store or UI.',
      '^src/compile/',
      '^src/(worker|session|store|ui|train|inspect|surface|cli)/',
    ),
    forbid(
      'train-below-session',
      'Training, inspection and surfaces are used by the session, never the reverse.',
      '^src/(train|inspect|surface)/',
      '^src/(worker|session|store|ui|cli)/',
    ),
    forbid(
      'session-below-worker',
      'The session serves the worker, CLI and benches; it knows only the worker protocol.',
      '^src/session/',
      '^src/(worker/(?!protocol[.]ts$)|store/|ui/|cli/)',
    ),
    forbid(
      'node-readers-stay-in-node',
      'src/data/node reads files and wasm from disk: only the CLI, benches and tests use it (the worker has src/data/browser).',
      '^src/(?!cli/|data/node/)|^(nodes|templates)/',
      '^src/data/node/',
    ),
    forbid(
      'nothing-imports-entry-points',
      'Entry points (the worker, the CLI, the page) are imported by no one.',
      '^src/(?!cli/)|^(nodes|templates)/',
      '^src/worker/train-worker[.]ts$|^src/cli/|^src/main[.]tsx$|^bench/|^tests/',
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    exclude: { path: '^(dist|node_modules|test-results|playwright-report)/' },
  },
};
