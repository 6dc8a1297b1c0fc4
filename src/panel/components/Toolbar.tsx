import { css } from '@emotion/css';
import React, { useState } from 'react';

import { GrafanaTheme2, SelectableValue } from '@grafana/data';
import { Button, Dropdown, Icon, IconButton, Input, Menu, RadioButtonGroup, useStyles2 } from '@grafana/ui';

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
  /** A small panel: icons only, the search box behind its icon (see CompactToolbar). */
  compact?: boolean;
}

const PROBLEMS_TOOLTIP = 'Show only Failed, Progressing and Unknown objects';

export function Toolbar(props: ToolbarProps) {
  const { search, problemsOnly, sortBy, onSearch, onProblemsOnly, onSortBy } = props;
  const styles = useStyles2(getStyles);
  if (props.compact) {
    return <CompactToolbar {...props} />;
  }
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
        tooltip={PROBLEMS_TOOLTIP}
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

/**
 * The same controls in one short row for small panels: a search icon that opens the box (it stays
 * open while it holds text), problems-only as a pressed icon, the sort order in a menu.
 */
function CompactToolbar({ search, problemsOnly, sortBy, onSearch, onProblemsOnly, onSortBy }: ToolbarProps) {
  const styles = useStyles2(getStyles);
  const [searchOpen, setSearchOpen] = useState(false);
  const current = SORT_OPTIONS.find((option) => option.value === sortBy);
  const menu = (
    <Menu>
      {SORT_OPTIONS.map((option) => (
        <Menu.Item
          key={option.value}
          label={option.label ?? ''}
          description={option.description}
          active={option.value === sortBy}
          onClick={() => onSortBy(option.value!)}
        />
      ))}
    </Menu>
  );
  return (
    <div className={styles.compact}>
      {searchOpen || search !== '' ? (
        <div className={styles.compactSearch}>
          <Input
            value={search}
            placeholder="Search"
            aria-label="Search Flux objects"
            prefix={<Icon name="search" />}
            suffix={
              <IconButton
                name="times"
                size="sm"
                aria-label="Clear and close the search"
                onClick={() => {
                  onSearch('');
                  setSearchOpen(false);
                }}
              />
            }
            autoFocus={search === ''}
            data-testid={TEST_IDS.searchInput}
            onChange={(event) => onSearch(event.currentTarget.value)}
            onKeyDown={(event) => {
              if (event.key === 'Escape') {
                onSearch('');
                setSearchOpen(false);
              }
            }}
          />
        </div>
      ) : (
        <IconButton
          name="search"
          aria-label="Search Flux objects"
          tooltip="Search kind, namespace, name, cluster, reason"
          data-testid={TEST_IDS.searchToggle}
          onClick={() => setSearchOpen(true)}
        />
      )}
      <IconButton
        name="exclamation-triangle"
        aria-label="Problems only"
        aria-pressed={problemsOnly}
        tooltip={PROBLEMS_TOOLTIP}
        variant={problemsOnly ? 'primary' : 'secondary'}
        className={problemsOnly ? styles.pressed : undefined}
        data-testid={TEST_IDS.problemsToggle}
        onClick={() => onProblemsOnly(!problemsOnly)}
      />
      <Dropdown overlay={menu} placement="bottom-end">
        <IconButton
          name="sort-amount-down"
          // IconButton names itself after its tooltip.
          tooltip={`Sort objects: ${current?.label ?? sortBy}`}
          data-testid={TEST_IDS.sortSelect}
        />
      </Dropdown>
    </div>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  compact: css({ display: 'flex', alignItems: 'center', gap: theme.spacing(0.5), flex: 'none' }),
  compactSearch: css({ width: 150 }),
  pressed: css({ background: theme.colors.action.selected, borderRadius: theme.shape.radius.default }),
  toolbar: css({
    display: 'flex',
    flexWrap: 'wrap',
    alignItems: 'center',
    gap: theme.spacing(1),
  }),
  search: css({ flex: '1 1 200px', minWidth: 160, maxWidth: 420 }),
});
