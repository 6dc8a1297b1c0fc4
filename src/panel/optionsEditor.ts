/**
 * The panel's option editor, as Grafana shows it (`buildPanelOptions`, chained in module.tsx).
 * Defaults come from types.ts; options.ts reads the options at render time.
 */
import type { PanelOptionsEditorBuilder } from '@grafana/data';

import { ThresholdEditor } from './components/ThresholdEditor';
import { SORT_OPTIONS } from './components/Toolbar';
import { LABEL_FIELDS } from './labelFields';
import { DEFAULT_OPTIONS, FluxGridOptions, GROUP_BY_OPTIONS, MAX_CELL_SIZE, MIN_CELL_SIZE } from './types';

const GROUP_OPTIONS = GROUP_BY_OPTIONS.map((value) => ({
  value,
  label: value === 'none' ? 'None' : value[0].toUpperCase() + value.slice(1),
}));

export function buildPanelOptions(builder: PanelOptionsEditorBuilder<FluxGridOptions>) {
  const grid = ['Grid'];
  const state = ['State'];
  const labels = ['Label mapping'];
  builder
    .addRadio({
      path: 'groupBy',
      name: 'Group by',
      category: grid,
      defaultValue: DEFAULT_OPTIONS.groupBy,
      settings: { options: GROUP_OPTIONS },
    })
    .addRadio({
      path: 'subGroupBy',
      name: 'Then by',
      description: 'A second grouping level inside each group',
      category: grid,
      defaultValue: DEFAULT_OPTIONS.subGroupBy,
      settings: { options: GROUP_OPTIONS },
      showIf: (options) => options.groupBy !== 'none',
    })
    .addRadio({
      path: 'sortBy',
      name: 'Sort by',
      description: 'Initial order; viewers can change it in the panel',
      category: grid,
      defaultValue: DEFAULT_OPTIONS.sortBy,
      settings: { options: SORT_OPTIONS },
    })
    .addRadio({
      path: 'display',
      name: 'Show objects as',
      description: 'Auto: tiles with names when they fit the panel, cells otherwise',
      category: grid,
      defaultValue: DEFAULT_OPTIONS.display,
      settings: {
        options: [
          { value: 'auto', label: 'Auto' },
          { value: 'tiles', label: 'Tiles with names' },
          { value: 'cells', label: 'Cells' },
        ],
      },
    })
    .addSliderInput({
      path: 'cellSize',
      name: 'Cell size',
      description: 'Edge of a cell in pixels (tiles have their own size)',
      category: grid,
      defaultValue: DEFAULT_OPTIONS.cellSize,
      settings: { min: MIN_CELL_SIZE, max: MAX_CELL_SIZE, step: 1 },
    })
    .addBooleanSwitch({
      path: 'showSummary',
      name: 'Show summary',
      description: 'Counts per state; click one to show only that state',
      category: grid,
      defaultValue: DEFAULT_OPTIONS.showSummary,
    })
    .addBooleanSwitch({
      path: 'showToolbar',
      name: 'Show search and sort',
      category: grid,
      defaultValue: DEFAULT_OPTIONS.showToolbar,
    })
    .addBooleanSwitch({
      path: 'problemsOnly',
      name: 'Problems only',
      description: 'Start with only Failed, Progressing and Unknown objects shown',
      category: state,
      defaultValue: DEFAULT_OPTIONS.problemsOnly,
    })
    .addCustomEditor({
      id: 'failingThreshold',
      path: 'failingThreshold',
      name: 'Failing longer than',
      description:
        'Failures older than this are marked as sustained (darker, thick border). A duration like 10m, 1h30m or a variable; empty turns it off. Needs range queries or the FluxGrid datasource to know since when.',
      category: state,
      defaultValue: DEFAULT_OPTIONS.failingThreshold,
      editor: ThresholdEditor,
    })
    .addBooleanSwitch({
      path: 'includeDeleted',
      name: 'Include deleted objects',
      description: 'Flux 2.0 kept deleted objects as gotk_reconcile_condition{status="Deleted"} series',
      category: state,
      defaultValue: DEFAULT_OPTIONS.includeDeleted,
    })
    .addTextInput({
      path: 'objectLink',
      name: 'Object dashboard link',
      description:
        "Every cell links here, beside your data links, with the object (var-cluster, var-kind, var-namespace, var-name) and the time range: the app's Flux object dashboard by default. Another dashboard path (/d/<uid>/<slug>) or a URL starting with https:// or http:// points it elsewhere (anything else is refused, with a warning in the panel); empty turns it off.",
      category: ['Links'],
      defaultValue: DEFAULT_OPTIONS.objectLink,
      settings: { placeholder: 'empty: no object link' },
    });
  for (const field of LABEL_FIELDS) {
    builder.addTextInput({
      path: `labels.${field.key}`,
      name: field.name,
      description: field.description,
      category: labels,
      defaultValue: '',
      settings: { placeholder: field.placeholder },
    });
  }
}
