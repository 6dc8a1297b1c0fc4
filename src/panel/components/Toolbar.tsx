import { css } from '@emotion/css';
import React from 'react';

import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Button, Icon, Input, RadioButtonGroup, useStyles2 } from '@grafana/ui';

import type { SortBy } from '../../flux';
import { TEST_IDS } from '../testIds';

export const SORT_OPTIONS: Array<SelectableValue<SortBy>> = [
  { label: 'Severity', value: 'severity', description: 'Most severe state first, then by name' },
  { label: 'Name', value: 'name', description: 'Kind, namespace and name' },
  { label: 'Time in state', value: 'timeInState', description: 'Longest in its state first' },
];

interface ToolbarProps {
  search: string;
  problemsOnly: boolean;
  sortBy: SortBy;
  onSearch: (search: string) => void;
  onProblemsOnly: (problemsOnly: boolean) => void;
  onSortBy: (sortBy: SortBy) => void;
}

export function Toolbar({ search, problemsOnly, sortBy, onSearch, onProblemsOnly, onSortBy }: ToolbarProps) {
  const styles = useStyles2(getStyles);
  return (
    <div className={styles.toolbar}>
      <div className={styles.search}>
        <Input
          value={search}
          placeholder="Search kind, namespace, name, cluster, reason"
          aria-label="Search Flux objects"
          prefix={<Icon name="search" />}
          data-testid={TEST_IDS.searchInput}
          onChange={(event) => onSearch(event.currentTarget.value)}
        />
      </div>
      <Button
        size="sm"
        icon="exclamation-triangle"
        variant={problemsOnly ? 'primary' : 'secondary'}
        fill={problemsOnly ? 'solid' : 'outline'}
        aria-pressed={problemsOnly}
        tooltip="Show only Failed, Progressing and Unknown objects"
        data-testid={TEST_IDS.problemsToggle}
        onClick={() => onProblemsOnly(!problemsOnly)}
      >
        Problems only
      </Button>
      <div data-testid={TEST_IDS.sortSelect} aria-label="Sort objects" role="group">
        <RadioButtonGroup size="sm" options={SORT_OPTIONS} value={sortBy} onChange={(value) => onSortBy(value)} />
      </div>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  }),
  search: css({ flex: '1 1 200px', minWidth: 160, maxWidth: 420 }),
});
