import { css, cx } from '@emotion/css';
import React, { useCallback, useDeferredValue, useMemo, useState } from 'react';

import { GrafanaTheme2, PanelProps } from '@grafana/data';
import { PanelDataErrorView } from '@grafana/runtime';
import { useStyles2 } from '@grafana/ui';

import {
  FluxObject,
  FluxState,
  readBlockedBy,
  readFluxFrames,
  readObjectColumn,
  readRolloutFrames,
  readSourceRefs,
  READY_MESSAGE_FIELD,
  relate,
  SortBy,
  sourceGroupOf,
  sortCausesFirst,
  sortObjects,
  summarizeCauses,
} from '../flux';
import { CauseSummaryNote, FluxRelationsContext } from './components/FluxRelations';
import { RolloutView } from './components/RolloutView';
import { PanelMessage, PanelWarning } from './components/PanelMessage';
import { StatusGrid } from './components/StatusGrid';
import { SummaryBar } from './components/SummaryBar';
import { Toolbar } from './components/Toolbar';
import { labelSettingProblems } from './labelSettings';
import { describeQueries, describeRange } from './queryDescription';
import { buildObjectLinks } from './links';
import { migrateOptions } from './migrations';
import { buildViewModel, hiddenDeletedCount, toggleStateFilter } from './model';
import { frameNotices, queryFailures } from './notices';
import { objectLinkProblem } from './objectLink';
import { groupLevels, parseThreshold, toNormalizeOptions } from './options';
import { TEST_IDS } from './testIds';
import type { FluxGridOptions } from './types';

type Props = PanelProps<FluxGridOptions>;

/**
 * The grid gets most of a small panel: below these sizes the summary and toolbar share one short
 * row (icons, counts), and below CONTROLS_MIN_HEIGHT they are left out.
 */
export const COMPACT_BELOW = { width: 600, height: 320 } as const;
export const CONTROLS_MIN_HEIGHT = 140;

/** Thin adapter: Grafana props -> core reading -> view model -> presentational components. */
export function FluxGridPanel({
  data,
  options: saved,
  width,
  height,
  fieldConfig,
  replaceVariables,
  id,
  timeZone,
}: Props) {
  const styles = useStyles2(getStyles);
  // Grafana migrates options only when the plugin version changes: a panel JSON edited by hand at
  // this version may hold anything (`"kind": 5`). The same reading, idempotent, makes it the options' shape.
  const options = useMemo(() => migrateOptions(saved), [saved]);
  const { includeDeleted } = options;
  // By value: another option's change (a new options object) must not read every frame again.
  const { cluster, kind, namespace, name, reason } = options.labels;
  const labels = useMemo(() => ({ cluster, kind, namespace, name, reason }), [cluster, kind, namespace, name, reason]);

  const labelProblems = useMemo(() => labelSettingProblems(labels), [labels]);
  const reading = useMemo(
    () => readFluxFrames(data.series, toNormalizeOptions({ labels, includeDeleted })),
    [data.series, labels, includeDeleted]
  );
  const hiddenDeleted = useMemo(
    () =>
      hiddenDeletedCount(reading, includeDeleted, () =>
        readFluxFrames(data.series, toNormalizeOptions({ labels, includeDeleted: true }))
      ),
    [reading, data.series, labels, includeDeleted]
  );
  const { groupBy, subGroupBy } = options;
  const levels = useMemo(() => groupLevels({ groupBy, subGroupBy }), [groupBy, subGroupBy]);
  const bySource = levels.includes('source');
  // Causes before symptoms (src/flux/relations.ts): a FluxGrid Objects frame brings the
  // datasource's decisions and Ready messages, raw Prometheus frames their labels. The source of
  // every object (not only of the blocked ones) is read only for "group by source", its one
  // reader: a pass over every row of the frame at 100k objects.
  const panelRelations = useMemo(
    () => ({
      relations: relate(reading.objects, {
        declared: readBlockedBy(data.series),
        declaredSources: bySource ? readSourceRefs(data.series) : undefined,
      }),
      messages: readObjectColumn(data.series, READY_MESSAGE_FIELD),
    }),
    [reading, data.series, bySource]
  );
  const causes = useMemo(() => summarizeCauses(reading.objects, panelRelations.relations), [reading, panelRelations]);
  const groupKeys = useMemo(
    () => (bySource ? { source: sourceGroupOf(panelRelations.relations) } : {}),
    [panelRelations, bySource]
  );
  // The rollout mode: the datasource's Rollout query answered (src/flux/questions/rolloutsFrame.ts).
  const rollouts = useMemo(() => readRolloutFrames(data.series), [data.series]);
  const hasData = data.series.some((frame) => frame.length > 0);
  const failedQueries = useMemo(() => queryFailures(data), [data]);
  // When the data was queried, capped at the range end: a dashboard looking at the past judges
  // failures at that time, and re-renders never move "now" between two refreshes.
  const rangeEnd = data.timeRange.to.valueOf();
  const nowMs = Math.min(data.request?.startTime ?? rangeEnd, rangeEnd);
  const threshold = useMemo(
    () => parseThreshold(options.failingThreshold, (text) => replaceVariables(text)),
    [options.failingThreshold, replaceVariables]
  );

  // Viewer filters: start from the saved options, never saved back.
  const [states, setStates] = useState<FluxState[]>([]);
  const [search, setSearch] = useState('');
  const [problemsOnly, setProblemsOnly] = useViewerOverride(options.problemsOnly);
  const [sortBy, setSortBy] = useViewerOverride<SortBy>(options.sortBy);
  // Typing stays responsive at 50k objects: the grid follows the search at lower priority.
  const deferredSearch = useDeferredValue(search);
  const filters = useMemo(
    () => ({ states, search: deferredSearch, problemsOnly, sortBy }),
    [states, deferredSearch, problemsOnly, sortBy]
  );
  const targets = data.request?.targets;
  const ran = useMemo(
    () => (hasData ? undefined : { queries: describeQueries(targets), range: describeRange(data.timeRange, timeZone) }),
    [hasData, targets, data.timeRange, timeZone]
  );
  const sorted = useMemo(
    () =>
      // Severity puts causes first: a failing source before the objects it blocks.
      sortBy === 'severity'
        ? sortCausesFirst(reading.objects, panelRelations.relations)
        : sortObjects(reading.objects, sortBy),
    [reading, sortBy, panelRelations]
  );
  const view = useMemo(
    () =>
      buildViewModel({
        reading,
        hasData,
        filters,
        levels,
        threshold,
        nowMs,
        hiddenDeleted,
        sorted,
        optionProblems: labelProblems,
        ran,
        groupKeys,
        failedQueries,
      }),
    [
      reading,
      hasData,
      filters,
      levels,
      threshold,
      nowMs,
      hiddenDeleted,
      sorted,
      labelProblems,
      ran,
      groupKeys,
      failedQueries,
    ]
  );

  const links = fieldConfig?.defaults?.links;
  const getLinks = useCallback(
    (object: FluxObject) => buildObjectLinks(object, links, replaceVariables, options.objectLink),
    [links, replaceVariables, options.objectLink]
  );
  const clearFilters = () => {
    setStates([]);
    setSearch('');
    setProblemsOnly(false);
  };

  const notices = useMemo(() => frameNotices(data.series), [data.series]);
  const linkProblem = useMemo(() => objectLinkProblem(options.objectLink), [options.objectLink]);
  const warnings = useMemo(
    () => [...notices, ...view.warnings, ...(linkProblem ? [linkProblem] : [])],
    [notices, view.warnings, linkProblem]
  );
  const compact = width < COMPACT_BELOW.width || height < COMPACT_BELOW.height;
  // Stable while the panel's size is, so a render of the panel alone (its chrome, the toolbar)
  // never repaints the grid's canvas.
  const fallbackSize = useMemo(
    () => ({ width, height: Math.max(0, height - (compact ? 32 : 80)) }),
    [width, height, compact]
  );
  const showChrome =
    (view.message === undefined || view.message.kind === 'filteredOut') && height >= CONTROLS_MIN_HEIGHT;
  const summary = showChrome && options.showSummary;
  const toolbar = showChrome && options.showToolbar;
  // Interpolating is not free (a dashboard's variables): once per threshold, not per render.
  const thresholdLabel = useMemo(
    () => (threshold.ms !== undefined ? replaceVariables(options.failingThreshold).trim() : undefined),
    [threshold.ms, options.failingThreshold, replaceVariables]
  );

  if (rollouts.length > 0) {
    return (
      <div className={styles.panel} style={{ width, height }} data-testid={TEST_IDS.panel}>
        {warnings.map((warning) => (
          <PanelWarning key={warning} text={warning} compact={compact} />
        ))}
        <RolloutView rollouts={rollouts} nowMs={nowMs} />
      </div>
    );
  }

  return (
    <div
      className={cx(styles.panel, compact && styles.compactPanel)}
      style={{ width, height }}
      data-testid={TEST_IDS.panel}
    >
      {(summary || toolbar) && (
        <div
          className={compact ? styles.compactControls : styles.controls}
          data-testid={TEST_IDS.controls}
          data-compact={compact}
        >
          {summary && (
            <SummaryBar
              counts={view.counts}
              selected={states}
              sustainedFailures={view.sustainedFailures}
              thresholdLabel={thresholdLabel}
              includeDeleted={includeDeleted}
              onToggle={(state) => setStates((current) => toggleStateFilter(current, state))}
              compact={compact}
            />
          )}
          {summary && !compact && <CauseSummaryNote summary={causes} />}
          {toolbar && (
            <Toolbar
              search={search}
              problemsOnly={problemsOnly}
              sortBy={sortBy}
              onSearch={setSearch}
              onProblemsOnly={setProblemsOnly}
              onSortBy={setSortBy}
              compact={compact}
            />
          )}
        </div>
      )}
      {warnings.map((warning) => (
        <PanelWarning key={warning} text={warning} compact={compact} />
      ))}
      {view.message?.kind === 'noData' ? (
        <div className={styles.noData} data-testid={TEST_IDS.message} data-kind="noData">
          <PanelDataErrorView
            panelId={id}
            data={data}
            fieldConfig={fieldConfig}
            message={view.message.details.join(' ')}
          />
        </div>
      ) : view.message ? (
        <PanelMessage message={view.message} onClearFilters={clearFilters} compact={compact} />
      ) : (
        // The tooltip reads "blocked by" and the Ready message from here (components/FluxRelations.tsx).
        <FluxRelationsContext.Provider value={panelRelations}>
          <StatusGrid
            objects={view.objects}
            groups={view.groups}
            cellSize={options.cellSize}
            display={options.display}
            isSustained={view.isSustained}
            nowMs={nowMs}
            fallbackSize={fallbackSize}
            getLinks={getLinks}
            label={`Flux objects: ${view.objects.length} shown of ${view.totalObjects}, ${view.counts.Failed} failed`}
            status={`Showing ${view.objects.length} of ${view.totalObjects} Flux objects`}
          />
        </FluxRelationsContext.Provider>
      )}
    </div>
  );
}

/**
 * A viewer's in-panel choice that starts from a saved option and follows the option when the
 * editor changes it (the override is remembered per option value; no effect, no extra render).
 */
function useViewerOverride<T>(optionValue: T): [T, (value: T) => void] {
  const [override, setOverride] = useState<{ option: T; value: T } | undefined>(undefined);
  const value = override && override.option === optionValue ? override.value : optionValue;
  return [value, (next: T) => setOverride({ option: optionValue, value: next })];
}

const getStyles = (theme: GrafanaTheme2) => ({
  panel: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(1),
    overflow: 'hidden',
  }),
  compactPanel: css({ gap: theme.spacing(0.5) }),
  controls: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(1) }),
  compactControls: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5), minWidth: 0 }),
  noData: css({
    flex: 1,
    minHeight: 0,
    display: 'flex',
    flexDirection: 'column',
    justifyContent: 'center',
  }),
});
