import { FieldConfigProperty, PanelPlugin } from '@grafana/data';

import { ThresholdEditor } from './components/ThresholdEditor';
import { FluxGridPanel } from './FluxGridPanel';
import { LABEL_FIELDS } from './labelFields';
import { SORT_OPTIONS } from './components/Toolbar';
import { DEFAULT_OPTIONS, FluxGridOptions, MAX_CELL_SIZE, MIN_CELL_SIZE } from './types';

const GROUP_OPTIONS = [
  { label: 'None', value: 'none' as const },
  { label: 'Cluster', value: 'cluster' as const },
  { label: 'Kind', value: 'kind' as const },
  { label: 'Namespace', value: 'namespace' as const },
];

export const plugin = new PanelPlugin<FluxGridOptions>(FluxGridPanel)
  // Only data links: they are built per object (see links.ts for the variables they can use).
  .useFieldConfig({
    disableStandardOptions: Object.values(FieldConfigProperty).filter(
      (property) => property !== FieldConfigProperty.Links
    ),
  })
  .setPanelOptions((builder) => {
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
      .addSliderInput({
        path: 'cellSize',
        name: 'Cell size',
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
  });
