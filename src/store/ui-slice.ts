import { defaultPanels, patchPanels } from './panels';
import type { GetState, SetState, Theme, UiSlice } from './types';

let nextToast = 1;
const MAX_TOASTS = 4;

export function createUiSlice(set: SetState, get: GetState, theme: Theme): UiSlice {
  return {
    theme,
    helpOpen: false,
    summaryOpen: true,
    panels: defaultPanels,
    codeOpen: false,
    toasts: [],
    viewRequest: 0,
    importErrors: null,
    laterImportErrors: [],
    setTheme: (t) => set({ theme: t }),
    setHelpOpen: (open) => set({ helpOpen: open }),
    setSummaryOpen: (open) =>
      set({ summaryOpen: open, panels: patchPanels(get().panels, { summaryOpen: open }) }),
    setPanels(patch) {
      const panels = patchPanels(get().panels, patch);
      if (panels !== get().panels) set({ panels, summaryOpen: panels.summaryOpen });
    },
    // Opening the code shows the side column it lives in.
    setCodeOpen: (open) =>
      set({ codeOpen: open, ...(open ? { panels: patchPanels(get().panels, { sideOpen: true }) } : {}) }),
    notify: (text, tone = 'info') =>
      set({ toasts: [...get().toasts, { id: nextToast++, text, tone }].slice(-MAX_TOASTS) }),
    dismissToast: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
    showImportErrors: (source, errors, held) => {
      const shown = { source, errors, ...(held === undefined ? {} : { held }) };
      if (get().importErrors === null) set({ importErrors: shown });
      else set({ laterImportErrors: [...get().laterImportErrors, shown] });
    },
    closeImportErrors: () => {
      if (get().importErrors?.held !== undefined && get().autosave === 'paused')
        get().notify(
          'Autosave is paused so that it does not overwrite the graph that could not be opened. Use Export to keep your work; reload to choose again.',
          'error',
        );
      const [next = null, ...later] = get().laterImportErrors;
      set({ importErrors: next, laterImportErrors: later });
    },
  };
}
