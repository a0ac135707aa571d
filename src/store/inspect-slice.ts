/**
 * Looking inside on the page: which image, what the worker last said about it (every node's thumbnail,
 * one node's channels, heatmaps, one convolution's arithmetic, its kernels, its matrix) and how to show
 * it. Everything asked of the worker names the model it is about, and answers about another model or
 * older weights are dropped.
 */
import { modelKey, shortHash } from '../core/structure';
import type {
  InspectQuery,
  InspectReply,
  MatrixPadding,
  RawPixels,
  SampleChoice,
  SampleInfo,
  SplitName,
} from '../core/inspect/types';
import type { TrainingPort } from '../worker/client';
import { isBusy } from './lifecycle';
import { datasetRequest } from './training-slice';
import type { GetState, InspectSlice, InspectView, SetState } from './types';

/** The key replies carry for the model of this document. */
export const inspectKey = (doc: Parameters<typeof modelKey>[0]): string => shortHash(modelKey(doc));

/** Channels per page of the grid. */
export const CHANNELS_PER_PAGE = 32;

/** Validation images the heatmap check looks at. */
export const HEATMAP_CHECK_IMAGES = 20;

export const defaultInspectView: InspectView = {
  normalise: 'channel',
  opacity: 0.55,
  heatNode: null,
  heatClass: null,
  explain: null,
  matrix: null,
};

const firstSample: SampleChoice = { source: 'dataset', split: 'validation', classIndex: 0, nth: 0 };

/** Every answer on show: all of it belongs to one graph and goes when another is looked at. */
const nothingShown = {
  overview: null,
  channelPage: null,
  heatmaps: null,
  heatmapCheck: null,
  explanation: null,
  convMatrix: null,
  kernelImages: null,
  borders: null,
} as const;

export function createInspectSlice(
  set: SetState,
  get: GetState,
  port: TrainingPort | undefined,
): InspectSlice {
  // A dropped file's pixels stay here (not in state: nothing renders them) to be sent again after edits.
  let dropped: { name: string; pixels: RawPixels } | undefined;
  const ask = (query: InspectQuery) => port?.send({ type: 'inspect', query });
  const current = () => inspectKey(get().doc);
  const choice = (): SampleChoice => {
    const s = get().inspectSample;
    return s.source === 'file' && dropped !== undefined
      ? { ...dropped, source: 'file' }
      : (s as SampleChoice);
  };
  /** Asks again for whatever is on show: the heatmaps, and the selected node's views. */
  const refreshDetails = () => {
    const { inspectNode, inspectView, channelStart } = get();
    ask({
      kind: 'heatmaps',
      ...(inspectView.heatNode !== null && { nodeId: inspectView.heatNode }),
      ...(inspectView.heatClass !== null && { classIndex: inspectView.heatClass }),
    });
    if (inspectNode === null) return;
    ask({ kind: 'channels', nodeId: inspectNode, start: channelStart, count: CHANNELS_PER_PAGE });
    const kind = get().doc.nodes.find((n) => n.id === inspectNode)?.kind;
    if (kind === 'conv' || kind === 'stride2') {
      ask({ kind: 'kernels', nodeId: inspectNode });
      const e = inspectView.explain;
      if (e !== null && e.nodeId === inspectNode) ask({ kind: 'explain', ...e });
      const m = inspectView.matrix;
      if (m !== null && m.nodeId === inspectNode) ask({ kind: 'matrix', ...m });
      const b = get().borders;
      if (b !== null && b.nodeId === inspectNode)
        ask({ kind: 'borders', nodeId: inspectNode, channel: b.channel });
    }
  };
  /** Live refreshes during training: the thumbnails, and the open node's channels with them. */
  const live = () => {
    const { inspectOpen, canvasThumbnails, inspectNode, channelStart } = get();
    ask({
      kind: 'live',
      on: inspectOpen && (canvasThumbnails || inspectNode !== null),
      ...(inspectNode !== null && {
        focus: { nodeId: inspectNode, start: channelStart, count: CHANNELS_PER_PAGE },
      }),
    });
  };

  return {
    inspectOpen: false,
    canvasThumbnails: true,
    inspectSample: firstSample,
    inspectNode: null,
    channelStart: 0,
    ...nothingShown,
    sampleInfo: null,
    inspectProblem: null,
    inspectView: defaultInspectView,

    setInspectOpen(open) {
      set({ inspectOpen: open });
      live();
      if (open) get().lookAgain();
    },
    toggleLookInside() {
      // It shares the side column with the code panel: opening one puts the other away.
      const looking = get().inspectOpen && !get().codeOpen;
      if (get().codeOpen) get().setCodeOpen(false);
      get().setInspectOpen(!looking);
    },
    setCanvasThumbnails(on) {
      set({ canvasThumbnails: on });
      live();
    },
    lookAgain() {
      const { inspectOpen, doc, trainConfig, training, trainedKey, overview } = get();
      if (port === undefined || !inspectOpen) return;
      // What is on show belongs to another graph now: clear it rather than show it for this one.
      if (overview !== null && overview.key !== current()) set(nothingShown);
      // While another graph trains, the worker holds that one: wait for the run to end.
      if (isBusy(training) && trainedKey !== modelKey(doc)) {
        set({ inspectProblem: 'Training another version of this graph: look inside when it stops.' });
        return;
      }
      ask({
        kind: 'look',
        graph: doc,
        dataset: datasetRequest(get()),
        config: trainConfig,
        sample: choice(),
      });
      refreshDetails();
    },
    chooseSample(split: SplitName, classIndex: number, nth: number) {
      set({ inspectSample: { source: 'dataset', split, classIndex, nth }, heatmapCheck: null });
      get().lookAgain();
    },
    dropImage(name, pixels) {
      dropped = { name, pixels };
      set({ inspectSample: { source: 'file', name } });
      get().lookAgain();
    },
    inspectNodeOf(nodeId) {
      if (nodeId === get().inspectNode) return;
      set({
        inspectNode: nodeId,
        channelStart: 0,
        channelPage: null,
        explanation: null,
        convMatrix: null,
        kernelImages: null,
        borders: null,
      });
      live();
      if (nodeId !== null && get().overview !== null) refreshDetails();
    },
    showChannels(start) {
      const nodeId = get().inspectNode;
      if (nodeId === null) return;
      set({ channelStart: Math.max(0, start) });
      live();
      ask({ kind: 'channels', nodeId, start: Math.max(0, start), count: CHANNELS_PER_PAGE });
    },
    setInspectView(patch) {
      const view = { ...get().inspectView, ...patch };
      set({ inspectView: view });
      if ('heatNode' in patch || 'heatClass' in patch) {
        set({ heatmapCheck: null });
        ask({
          kind: 'heatmaps',
          ...(view.heatNode !== null && { nodeId: view.heatNode }),
          ...(view.heatClass !== null && { classIndex: view.heatClass }),
        });
      }
      if (patch.explain) ask({ kind: 'explain', ...patch.explain });
      if (patch.matrix) ask({ kind: 'matrix', ...patch.matrix });
    },
    compareBorders(channel) {
      const nodeId = get().inspectNode;
      if (nodeId !== null) ask({ kind: 'borders', nodeId, channel });
    },
    checkHeatmaps() {
      const node = get().inspectView.heatNode;
      set({ heatmapCheck: null });
      ask({ kind: 'heatmap-check', images: HEATMAP_CHECK_IMAGES, ...(node !== null && { nodeId: node }) });
    },
    receiveInspection(reply: InspectReply) {
      if (reply.kind === 'refused') {
        // A refused look leaves nothing to show; other refusals are said where their answer would be.
        set(
          reply.about === 'look'
            ? { inspectProblem: reply.message, overview: null }
            : { inspectProblem: reply.message },
        );
        return;
      }
      if (reply.key !== current()) return;
      switch (reply.kind) {
        case 'overview': {
          const { sample, ...overview } = reply;
          const fresh = get().overview?.version !== reply.version;
          set({
            overview,
            inspectProblem: null,
            ...(sample !== undefined && { sampleInfo: sample as SampleInfo, inspectSample: sample.choice }),
          });
          // Live refreshes during training bring new thumbnails; the open node follows them when cheap.
          if (fresh && sample === undefined && !isBusy(get().training)) refreshDetails();
          break;
        }
        case 'channels':
          if (reply.nodeId === get().inspectNode) set({ channelPage: reply });
          break;
        case 'heatmaps':
          set({ heatmaps: reply });
          break;
        case 'heatmap-check':
          set({ heatmapCheck: reply });
          break;
        case 'explanation':
          if (reply.nodeId === get().inspectNode) set({ explanation: reply });
          break;
        case 'matrix':
          if (reply.nodeId === get().inspectNode) set({ convMatrix: reply });
          break;
        case 'kernels':
          if (reply.nodeId === get().inspectNode) set({ kernelImages: reply });
          break;
        case 'borders':
          if (reply.nodeId === get().inspectNode) set({ borders: reply });
          break;
      }
    },
  };
}

/** The matrix view's settings from a convolution's own: its stride (1 or 2) and its border. */
export function matrixSettingsOf(
  params: Readonly<Record<string, unknown>>,
  kind: string,
): { stride: number; padding: MatrixPadding } {
  const stride = kind === 'stride2' ? 2 : Math.min(2, Number(params['stride'] ?? 1));
  const border = String(params['padding'] ?? 'same');
  const padding: MatrixPadding =
    border === 'valid'
      ? 'valid'
      : border === 'same'
        ? 'zero'
        : (border.replace('same-', '') as MatrixPadding);
  return { stride, padding };
}
