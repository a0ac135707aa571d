/**
 * Sizes and folds of the editor's panels. Remembered in browser storage, so they are read back as
 * untrusted data: every field is checked and clamped, and anything odd falls back to the default.
 */

export interface PanelLayout {
  readonly paletteOpen: boolean;
  readonly paletteWidth: number;
  /** The right-hand column: training and the inspector. */
  readonly sideOpen: boolean;
  readonly sideWidth: number;
  /** The right-hand column's width while the code panel is open. */
  readonly codeWidth: number;
  /** The code panel's share of that column's height (the inspector has the rest). */
  readonly codeShare: number;
  readonly summaryOpen: boolean;
  readonly summaryHeight: number;
  readonly minimap: boolean;
}

export const PANELS_KEY = 'convcanvas:panels';

/** [min, default, max] of each size, in CSS pixels (codeShare: a fraction). */
export const PANEL_LIMITS = {
  paletteWidth: [160, 220, 420],
  sideWidth: [260, 300, 560],
  codeWidth: [360, 560, 1200],
  codeShare: [0.25, 0.68, 0.85],
  summaryHeight: [72, 170, 640],
} as const satisfies Record<string, readonly [number, number, number]>;

type SizeKey = keyof typeof PANEL_LIMITS;

export const defaultPanels: PanelLayout = {
  paletteOpen: true,
  paletteWidth: PANEL_LIMITS.paletteWidth[1],
  sideOpen: true,
  sideWidth: PANEL_LIMITS.sideWidth[1],
  codeWidth: PANEL_LIMITS.codeWidth[1],
  codeShare: PANEL_LIMITS.codeShare[1],
  summaryOpen: true,
  summaryHeight: PANEL_LIMITS.summaryHeight[1],
  // The overview map covers a corner of the canvas: it is there when asked for.
  minimap: false,
};

/** A size held within its limits (a non-number gives the default). */
export function clampSize(key: SizeKey, value: unknown): number {
  const [min, fallback, max] = PANEL_LIMITS[key];
  if (typeof value !== 'number' || !Number.isFinite(value)) return fallback;
  return Math.min(max, Math.max(min, value));
}

/** A layout from stored text; never throws. */
export function parsePanels(text: string | null): PanelLayout {
  if (text === null || text.length > 2000) return defaultPanels;
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return defaultPanels;
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return defaultPanels;
  const get = (key: keyof PanelLayout): unknown =>
    Object.prototype.hasOwnProperty.call(raw, key) ? (raw as Record<string, unknown>)[key] : undefined;
  const flag = (key: 'paletteOpen' | 'sideOpen' | 'summaryOpen' | 'minimap'): boolean => {
    const v = get(key);
    return typeof v === 'boolean' ? v : defaultPanels[key];
  };
  return {
    paletteOpen: flag('paletteOpen'),
    paletteWidth: clampSize('paletteWidth', get('paletteWidth')),
    sideOpen: flag('sideOpen'),
    sideWidth: clampSize('sideWidth', get('sideWidth')),
    codeWidth: clampSize('codeWidth', get('codeWidth')),
    codeShare: clampSize('codeShare', get('codeShare')),
    summaryOpen: flag('summaryOpen'),
    summaryHeight: clampSize('summaryHeight', get('summaryHeight')),
    minimap: flag('minimap'),
  };
}

/** Applies a change, clamping sizes; returns `layout` itself when nothing changes. */
export function patchPanels(layout: PanelLayout, patch: Partial<PanelLayout>): PanelLayout {
  const next: PanelLayout = { ...layout, ...patch };
  const sizes = Object.keys(PANEL_LIMITS) as SizeKey[];
  const clamped = Object.fromEntries(sizes.map((k) => [k, clampSize(k, next[k])])) as Pick<
    PanelLayout,
    SizeKey
  >;
  const result = { ...next, ...clamped };
  const same = (Object.keys(result) as (keyof PanelLayout)[]).every((k) => result[k] === layout[k]);
  return same ? layout : result;
}
