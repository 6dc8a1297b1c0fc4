import React from 'react';

import type { FluxObject } from '../../../flux';
import { announceObject, DescribeContext } from '../../describe';
import { GridLayout, cellPosition } from '../../layout';
import { TEST_IDS } from '../../testIds';

interface ActiveCellProps {
  id: string;
  layout: GridLayout;
  index: number;
  object: FluxObject;
  context: DescribeContext;
  className: string;
}

/**
 * The one DOM gridcell: the keyboard-focused object, named for screen readers through the grid's
 * aria-activedescendant. The canvas shows the cells; this tells where focus is.
 */
export function ActiveCell({ id, layout, index, object, context, className }: ActiveCellProps) {
  const position = cellPosition(layout, index);
  if (!position) {
    return null;
  }
  return (
    <div role="row" className={className} aria-rowindex={layout.cellRowIndex.indexOf(position.rowIndex) + 1}>
      <div
        role="gridcell"
        id={id}
        aria-colindex={position.column + 1}
        aria-selected={true}
        data-testid={TEST_IDS.activeCell}
        data-key={object.key}
      >
        {announceObject(object, context)}
      </div>
    </div>
  );
}
