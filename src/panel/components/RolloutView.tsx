/**
 * The rollout mode: one object name across clusters, as the Rollout query answers it
 * (src/flux/questions/rollouts.ts). A matrix per object: clusters down, revisions across (newest
 * first), the cell of the revision each cluster runs coloured by its state; lagging clusters
 * first and marked, with since when the newest revision exists. What cannot be compared (the
 * legacy gauges carry no revision) is said, not left blank.
 */
import { css, cx } from '@emotion/css';
import React from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2, useTheme2 } from '@grafana/ui';

import { formatDuration, Rollout, RolloutMember } from '../../flux';
import { STATE_GLYPHS, stateColor } from '../palette';

export const ROLLOUT_TEST_IDS = {
  view: 'fluxgrid-rollout',
  object: 'fluxgrid-rollout-object',
  row: 'fluxgrid-rollout-row',
  summary: 'fluxgrid-rollout-summary',
  message: 'fluxgrid-rollout-message',
} as const;

interface RolloutViewProps {
  rollouts: Rollout[];
  nowMs: number;
}

const ago = (nowMs: number, at: number | undefined) =>
  at === undefined ? '' : `${formatDuration(Math.max(0, nowMs - at))} ago`;

/** Revisions newest first, then the others by how many clusters run them. */
function revisionColumns(rollout: Rollout): string[] {
  const counts = new Map<string, number>();
  for (const m of rollout.members) {
    if (m.revision !== undefined) {
      counts.set(m.revision, (counts.get(m.revision) ?? 0) + 1);
    }
  }
  return [...counts.keys()].sort(
    (a, b) =>
      Number(b === rollout.newest) - Number(a === rollout.newest) || counts.get(b)! - counts.get(a)! || (a < b ? -1 : 1)
  );
}

/** "Failed (UpgradeFailed); running 1.0.0 for at least 40m". */
function cellTitle(m: RolloutMember, nowMs: number): string {
  const state = `${m.state}${m.reason ? ` (${m.reason})` : ''}`;
  if (m.since === undefined) {
    return state;
  }
  const running = `${m.sinceIsLowerBound ? 'at least ' : ''}${formatDuration(Math.max(0, nowMs - m.since))}`;
  return `${state}; running ${m.revision} for ${running}`;
}

function summaryText(rollout: Rollout, nowMs: number): string {
  const total = rollout.members.length;
  if (rollout.newest === undefined) {
    return `${total} ${total === 1 ? 'cluster' : 'clusters'}, no revision to compare`;
  }
  const lagging = rollout.members.filter((m) => m.status === 'lagging').map((m) => m.cluster || '(no cluster)');
  const since = rollout.newestSince !== undefined ? ` (first seen ${ago(nowMs, rollout.newestSince)})` : '';
  return `${rollout.onNewest} of ${total} on the newest ${rollout.newest}${since}${
    lagging.length ? `; lagging: ${lagging.join(', ')}` : '; everywhere'
  }`;
}

export function RolloutView({ rollouts, nowMs }: RolloutViewProps) {
  const styles = useStyles2(getStyles);
  const theme = useTheme2();
  return (
    <div className={styles.view} data-testid={ROLLOUT_TEST_IDS.view}>
      {rollouts.map((rollout) => {
        const columns = revisionColumns(rollout);
        const title = `${rollout.kind} ${rollout.namespace ? `${rollout.namespace}/` : ''}${rollout.name}`;
        return (
          <section
            key={`${rollout.kind}/${rollout.namespace}/${rollout.name}`}
            className={styles.object}
            data-testid={ROLLOUT_TEST_IDS.object}
          >
            <h3 className={styles.title}>{title}</h3>
            <div
              className={cx(styles.summary, rollout.lagging > 0 && styles.lagging)}
              data-testid={ROLLOUT_TEST_IDS.summary}
            >
              {summaryText(rollout, nowMs)}
            </div>
            {rollout.message && (
              <div className={styles.message} role="status" data-testid={ROLLOUT_TEST_IDS.message}>
                {rollout.message}
              </div>
            )}
            <table className={styles.table} aria-label={`Rollout of ${title}`}>
              <thead>
                <tr>
                  <th scope="col">Cluster</th>
                  {columns.map((revision) => (
                    <th key={revision} scope="col" title={revision}>
                      {revision === rollout.newest ? <span className={styles.newest}>newest </span> : null}
                      <span className={styles.revision}>{revision}</span>
                    </th>
                  ))}
                  {rollout.members.some((m) => m.revision === undefined) && <th scope="col">No revision</th>}
                </tr>
              </thead>
              <tbody>
                {rollout.members.map((m) => (
                  <tr key={m.key} data-testid={ROLLOUT_TEST_IDS.row} data-cluster={m.cluster} data-status={m.status}>
                    <th scope="row" className={styles.cluster}>
                      {m.cluster || '(no cluster)'}
                      {m.status === 'lagging' && (
                        <span className={styles.lagBadge}>
                          lagging
                          {rollout.newestSince !== undefined
                            ? ` ${formatDuration(Math.max(0, nowMs - rollout.newestSince))}`
                            : ''}
                        </span>
                      )}
                    </th>
                    {[...columns, ...(rollout.members.some((x) => x.revision === undefined) ? [undefined] : [])].map(
                      (revision) => {
                        const here = m.revision === revision;
                        return (
                          <td key={revision ?? '-'}>
                            {here && (
                              <span
                                className={styles.cell}
                                style={{
                                  background: stateColor(theme, m.state),
                                  color: theme.colors.getContrastText(stateColor(theme, m.state)),
                                }}
                                title={cellTitle(m, nowMs)}
                              >
                                {STATE_GLYPHS[m.state]} {m.state}
                                {m.since !== undefined && (
                                  <span className={styles.since}>
                                    {` · for ${m.sinceIsLowerBound ? '≥ ' : ''}${formatDuration(Math.max(0, nowMs - m.since))}`}
                                  </span>
                                )}
                              </span>
                            )}
                          </td>
                        );
                      }
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  view: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(2), overflow: 'auto', minHeight: 0 }),
  object: css({ display: 'flex', flexDirection: 'column', gap: theme.spacing(0.5) }),
  title: css({ fontSize: theme.typography.h5.fontSize, margin: 0 }),
  summary: css({ color: theme.colors.text.secondary }),
  lagging: css({ color: theme.colors.warning.text }),
  message: css({ color: theme.colors.warning.text, fontSize: theme.typography.bodySmall.fontSize }),
  table: css({
    borderCollapse: 'collapse',
    fontSize: theme.typography.bodySmall.fontSize,
    'th, td': {
      padding: theme.spacing(0.5, 1),
      borderBottom: `1px solid ${theme.colors.border.weak}`,
      textAlign: 'left',
    },
    thead: { color: theme.colors.text.secondary },
  }),
  newest: css({ color: theme.colors.success.text, fontWeight: theme.typography.fontWeightBold }),
  revision: css({
    fontFamily: theme.typography.fontFamilyMonospace,
    maxWidth: 220,
    display: 'inline-block',
    overflow: 'hidden',
    textOverflow: 'ellipsis',
    verticalAlign: 'bottom',
    whiteSpace: 'nowrap',
  }),
  cluster: css({ fontWeight: theme.typography.fontWeightMedium, whiteSpace: 'nowrap' }),
  lagBadge: css({
    marginLeft: theme.spacing(1),
    padding: theme.spacing(0, 0.5),
    borderRadius: theme.shape.radius.default,
    background: theme.colors.warning.main,
    color: theme.colors.warning.contrastText,
    fontWeight: theme.typography.fontWeightBold,
  }),
  cell: css({
    display: 'inline-block',
    padding: theme.spacing(0.25, 0.75),
    borderRadius: theme.shape.radius.default,
    whiteSpace: 'nowrap',
  }),
  since: css({ opacity: 0.85 }),
});
