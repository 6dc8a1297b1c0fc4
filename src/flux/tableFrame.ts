/**
 * A table frame read by column (Prometheus' Format "Table": Time, a string column per label, a
 * number column per query; Grafana's transformV2 makes one such frame of 50k rows for 50k series).
 *
 * The label columns are found once per frame; a row's labels are read by column index
 * (LabelReader.startRow) and its labels record is built only when something asks for it (a series
 * without `__name__`, a duplicate to order, the one series an object shows). Rows in a row with the
 * same label cells are one series' samples (a range table lists a series' samples one after
 * another): they become one window, as a frame per series would have given, not a series per row.
 */
// Types only: see frames.ts (the core loads in node).
import type { DataFrame, Field } from '@grafana/data';

import { FieldWindow, type QueryTiming, type SeriesRef } from './series';
import { Labels, SeriesLabels, setLabel } from './labels';
import { cellText } from './values';

/** Not read through the import's getter per cell (jest's CommonJS): see frames.ts. */
const textOfCell = cellText;

/** The label columns of one table frame: the usable string fields with a string name, in field order. */
export class TableColumns {
  readonly names: readonly string[];
  readonly cells: ReadonlyArray<ArrayLike<unknown>>;
  /**
   * No name is `__proto__` (which `=` would not store as a label): the shown labels are then
   * assigned straight from the columns, in column order, the record's order (an index-like name
   * such as `0` goes first in both, as in every object).
   */
  readonly plain: boolean;

  constructor(stringFields: ReadonlyArray<Field<string>>) {
    this.names = stringFields.map((field) => field.name);
    this.cells = stringFields.map((field) => field.values);
    this.plain = !this.names.includes('__proto__');
  }

  /**
   * A row's labels, the record a frame per series would carry: each column's cell as text, ''
   * and non-text cells absent, a later column of the same name over an earlier one; any name,
   * `__proto__` and `constructor` included, an own property (setLabel).
   */
  labelsAt(row: number): Labels {
    const labels: Labels = {};
    for (let c = 0; c < this.names.length; c++) {
      const value = textOfCell(this.cells[c][row]);
      if (value !== undefined) {
        setLabel(labels, this.names[c], value);
      }
    }
    return labels;
  }

  /**
   * cleanLabels(labelsAt(row)) in one object instead of two, when the names are {@link plain}
   * (the same names, values and order); else undefined.
   */
  shownAt(row: number): Labels | undefined {
    if (!this.plain) {
      return undefined;
    }
    // Assigned in column order (plain names keep it), not spread from a template: the es2015
    // production build lowers object spread to a helper that defines each property.
    const { names, cells } = this;
    const shown: Labels = {};
    for (let c = 0; c < names.length; c++) {
      const name = names[c];
      const cell = cells[c][row];
      const value = typeof cell === 'string' ? (cell === '' ? undefined : cell) : textOfCell(cell);
      if (value !== undefined && name !== '__name__') {
        shown[name] = value;
      }
    }
    return shown;
  }

  /** Rows `a` and `b` hold the same cells in every label column (so the same labels). */
  sameLabels(a: number, b: number): boolean {
    for (let c = 0; c < this.cells.length; c++) {
      if (this.cells[c][a] !== this.cells[c][b]) {
        return false;
      }
    }
    return true;
  }
}

/**
 * The series of one number column over rows [firstRow, end) that share their label cells. Its
 * labels record is made on first use, from the window's first row.
 */
export class TableSeries extends FieldWindow implements SeriesLabels {
  // Declared, then set in the constructor: see FieldWindow (one per row here).
  declare private built: Labels | undefined;
  declare readonly table: TableColumns;
  /** The window's first row: where its label cells are read. */
  declare readonly row: number;
  /** How many table rows the window stands for (what a message counts as series, as per row before). */
  declare readonly rows: number;
  /**
   * What a reading keeps of its labels (SeriesLabels): the rules' values, read by column
   * (LabelReader.facts), and its record and shown labels made when asked. The series is its own
   * reading, not an object more per row.
   */
  declare ready: string | undefined;
  declare suspended: string | undefined;
  declare url: string | undefined;
  declare reason: string | undefined;
  declare revision: string | undefined;
  declare source: string | undefined;

  constructor(
    field: Field,
    frame: DataFrame,
    frameIndex: number,
    times: ArrayLike<unknown>,
    values: ArrayLike<unknown>,
    query: QueryTiming,
    table: TableColumns,
    row: number,
    rows: number
  ) {
    // Rows past the number column's end carry no value: the window stops there.
    const end = row + rows;
    super(
      field,
      frame,
      frameIndex,
      times,
      values,
      query,
      row,
      end < values.length ? end : row < values.length ? values.length : row
    );
    this.table = table;
    this.row = row;
    this.rows = rows;
    this.built = undefined;
    this.ready = undefined;
    this.suspended = undefined;
    this.url = undefined;
    this.reason = undefined;
    this.revision = undefined;
    this.source = undefined;
  }

  /** toObject asks once, for the series an object shows. */
  get shown(): Labels | undefined {
    return this.table.shownAt(this.row);
  }

  get labels(): Labels {
    return (this.built ??= this.table.labelsAt(this.row));
  }

  set labels(labels: Labels) {
    this.built = labels;
  }
}

/**
 * Emits a table's series: for each run of rows with the same label cells, one series per number
 * column, in row order (a frame per series' order). `numberFields` carry no labels of their own.
 */
export function emitTableSeries(
  emit: (series: SeriesRef) => void,
  numberFields: readonly Field[],
  table: TableColumns,
  frameIndex: number,
  times: ArrayLike<unknown>,
  frame: DataFrame,
  query: QueryTiming
): void {
  const rows = times.length;
  let row = 0;
  while (row < rows) {
    let next = row + 1;
    while (next < rows && table.sameLabels(row, next)) {
      next++;
    }
    for (let f = 0; f < numberFields.length; f++) {
      const field = numberFields[f];
      emit(new TableSeries(field, frame, frameIndex, times, field.values, query, table, row, next - row));
    }
    row = next;
  }
}
