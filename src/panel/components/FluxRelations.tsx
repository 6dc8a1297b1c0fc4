/**
 * Causes before symptoms in the panel: the relations the core found (src/flux/relations.ts), handed
 * down by context so the grid's own components need no new props, and the two places that say
 * them: a note in the tooltip ("Blocked by GitRepository flux-system/fleet", the Ready message) and
 * the cause count beside the summary ("2 failing sources block 37 objects").
 * Plain text only: label values are untrusted and React escapes them.
 */
import { css } from '@emotion/css';
import React, { createContext, useContext } from 'react';

import { GrafanaTheme2 } from '@grafana/data';
import { useStyles2 } from '@grafana/ui';

import { CauseSummary, describeCauses, describeRef, FluxObject, FluxRelations, readyMessageOf } from '../../flux';

export interface PanelRelations {
  relations: FluxRelations;
  /** Ready messages read from FluxGrid's Objects frame (rows without labels), by object key. */
  messages: ReadonlyMap<string, string>;
}

export const FluxRelationsContext = createContext<PanelRelations | undefined>(undefined);

export const RELATION_TEST_IDS = {
  blockedBy: 'fluxgrid-tooltip-blocked-by',
  blocks: 'fluxgrid-tooltip-blocks',
  ambiguous: 'fluxgrid-tooltip-ambiguous-source',
  readyMessage: 'fluxgrid-tooltip-ready-message',
  causes: 'fluxgrid-summary-causes',
} as const;

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** What the tooltip says about an object's source and its Ready message; nothing when nothing is known. */
export function ObjectRelationNotes({ object }: { object: FluxObject }) {
  const styles = useStyles2(getStyles);
  const context = useContext(FluxRelationsContext);
  if (!context) {
    return null;
  }
  const { relations, messages } = context;
  const blockedBy = relations.blockedBy.get(object.key);
  const cause = relations.causes.get(object.key);
  const ambiguous = relations.ambiguous.get(object.key);
  const message = readyMessageOf(object, messages);
  if (!blockedBy && !cause && !ambiguous && message === undefined) {
    return null;
  }
  return (
    <div className={styles.notes}>
      {cause && (
        <div className={styles.cause} data-testid={RELATION_TEST_IDS.blocks}>
          Cause: blocks {plural(cause.blocked.length, 'object', 'objects')}
        </div>
      )}
      {blockedBy && (
        <div className={styles.blocked} data-testid={RELATION_TEST_IDS.blockedBy}>
          Blocked by {describeRef(blockedBy)}
        </div>
      )}
      {ambiguous && (
        <div className={styles.secondary} data-testid={RELATION_TEST_IDS.ambiguous}>
          Source: {ambiguous}
        </div>
      )}
      {message !== undefined && (
        <div className={styles.message} data-testid={RELATION_TEST_IDS.readyMessage}>
          {message}
        </div>
      )}
    </div>
  );
}

/** "2 failing sources block 37 objects", and the failures of their own; nothing without causes. */
export function CauseSummaryNote({ summary }: { summary: CauseSummary }) {
  const styles = useStyles2(getStyles);
  const text = describeCauses(summary);
  if (!text) {
    return null;
  }
  const own = summary.otherFailures > 0 ? ` · ${plural(summary.otherFailures, 'other failure', 'other failures')}` : '';
  return (
    <div className={styles.summary} data-testid={RELATION_TEST_IDS.causes} role="status">
      <strong>{text}</strong>
      {own}
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  notes: css({
    display: 'flex',
    flexDirection: 'column',
    gap: theme.spacing(0.5),
    padding: theme.spacing(1, 1, 0),
  }),
  cause: css({ color: theme.colors.error.text, fontWeight: theme.typography.fontWeightBold }),
  blocked: css({ color: theme.colors.warning.text, fontWeight: theme.typography.fontWeightMedium }),
  secondary: css({ color: theme.colors.text.secondary }),
  message: css({
    whiteSpace: 'pre-wrap',
    maxHeight: 120,
    overflow: 'auto',
    padding: theme.spacing(0.5),
    background: theme.colors.background.secondary,
    borderRadius: theme.shape.radius.default,
    fontFamily: theme.typography.fontFamilyMonospace,
  }),
  summary: css({
    fontSize: theme.typography.bodySmall.fontSize,
    color: theme.colors.text.secondary,
    strong: { color: theme.colors.error.text },
  }),
});
