/**
 * What hostile inputs cost to refuse: `npx tsx bench/hostile.ts`. Each row sets the way they are
 * read now beside the work they used to cause (lz-string unpacking a link in full; jsonc-parser's
 * tree over the whole text), interleaved in one run, best of three. Figures, not pass/fail.
 */
import { performance } from 'node:perf_hooks';
import { parseTree } from 'jsonc-parser';
import lz from 'lz-string';
import { parseJson } from '../src/core/json';
import { decodeShare } from '../src/store/persistence';
import { renderTable } from '../src/cli/table';
import { bombLength, bombLink, deeplyNested } from '../tests/unit/support/bombs';

/** Best of `runs` milliseconds; the old ways of reading run once when they take seconds. */
function best(fn: () => void, runs = 3): number {
  let ms = Number.POSITIVE_INFINITY;
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    ms = Math.min(ms, performance.now() - t);
  }
  return ms;
}

function oldParse(text: string): void {
  try {
    parseTree(text, [], { disallowComments: true, allowTrailingComma: false });
    JSON.parse(text);
  } catch {
    // The stack overflow is the point of the comparison.
  }
}

const rows: string[][] = [];
for (const codes of [3000, 8200, 12_000]) {
  const link = bombLink(codes);
  const now = best(() => decodeShare(link));
  const before = best(() => oldParse(lz.decompressFromEncodedURIComponent(link) ?? ''), 1);
  rows.push([
    `bomb link, ${codes} codes`,
    `${(link.length / 1024).toFixed(1)} KB → ${(bombLength(codes) / 1e6).toFixed(1)} M chars`,
    now.toFixed(1),
    before.toFixed(0),
  ]);
}
for (const mb of [10, 30]) {
  const text = `{"schemaVersion": 1, "name": ${' '.repeat(mb * 1e6)}"x"}`;
  rows.push([
    `blank-padded JSON`,
    `${mb} MB`,
    best(() => parseJson(text)).toFixed(1),
    best(() => oldParse(text), 1).toFixed(0),
  ]);
  const broken = `${text.slice(0, -1)},}`;
  rows.push([
    `blank-padded JSON, broken at the end`,
    `${mb} MB`,
    best(() => parseJson(broken)).toFixed(1),
    best(() => oldParse(broken), 1).toFixed(0),
  ]);
}
const deep = deeplyNested(20_000);
rows.push([
  'nested 20,000 deep',
  `${(deep.length / 1024).toFixed(0)} KB`,
  best(() => parseJson(deep)).toFixed(2),
  best(() => oldParse(deep), 1).toFixed(0) + ' (stack overflow)',
]);
const over = `{"a": "${'x'.repeat(40 * 2 ** 20)}"}`;
rows.push(['text over the 32 MiB cap', '40 MiB', best(() => parseJson(over)).toFixed(3), '-']);

console.log('\nRefusing hostile input (ms): now, and the work the old reading did on the same input');
console.log(renderTable(['input', 'size', 'now', 'before'], rows, ['left', 'right', 'right', 'right']));
