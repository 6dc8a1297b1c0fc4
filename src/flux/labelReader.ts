/**
 * Reading a series' labels for the rules of labels.ts in one pass, planned once per label-name
 * list: the hot path of every reading (one pass per series, 10k series for 10k objects).
 */
import {
  identityMissing,
  IdentityLabels,
  identityLabels,
  KIND_SOURCE_LABELS,
  labelValue,
  Labels,
  ObjectIdentity,
  reasonLabels,
  SeriesLabels,
  setLabel,
  SOURCE_LABELS,
  sourceFrom,
} from './labels';
import { TableColumns, TableSeries } from './tableFrame';
import { FluxLabelMapping } from './types';
import { cellText } from './values';

/** Looked up once: see frames.ts on builtins in a vm context. */
const keysOf = Object.keys;
/** Not read through the import's getter per cell (jest's CommonJS): see frames.ts. */
const textOfCell = cellText;

/**
 * How a table's label columns are read ({@link LabelReader.startRow}), decided once per table:
 * the reader's slot of each column (-1 for a label no rule reads), like a {@link NamePlan}.
 */
interface ColumnPlan {
  readonly table: TableColumns;
  readonly slots: Int32Array;
  /** The columns some rule reads, in column order (a later column of a name over an earlier one). */
  readonly wanted: Int32Array;
  /** The `__name__` columns. */
  readonly metricColumns: Int32Array;
}

/**
 * How the labels of one label-name list (a series' names in Object.keys order) are read, decided
 * once for every series with that list: the series of one metric nearly always share it, so which
 * rule reads which name is not asked again per name and series (a Map lookup per label).
 */
interface NamePlan {
  readonly names: readonly string[];
  /** The reader's slot of each name, -1 for a name no rule reads. */
  readonly slots: Int32Array;
  /** The positions of the names some rule reads. */
  readonly wanted: Int32Array;
  /** Where `__name__` is, -1 when absent. */
  readonly metricAt: number;
  /** No name is `__proto__`: the shown labels are copied with plain stores ({@link setLabel}). */
  readonly plain: boolean;
}

/** A reading's label-name lists come one metric after another; legacy frames alternate two. */
const PLANS_KEPT = 8;

function sameNames(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) {
    return false;
  }
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) {
      return false;
    }
  }
  return true;
}

/**
 * The labels a reading needs, read in ONE pass over a series' own label names, with the same
 * answers as labelValue, resolveIdentity, reasonOf, sourceOf, revisionOf and cleanLabels: looking
 * each wanted name up cost twenty-odd own-property checks per series (most of them misses), and
 * the pass that copies the shown labels has to visit every name anyway. Every name comes from
 * Object.keys, so every value read is an own property, whatever the name (`constructor`).
 * One reader per reading: it holds the last series' values until the next `start`.
 */
export class LabelReader {
  private readonly slotOf = new Map<string, number>();
  private readonly values: Array<string | undefined> = [];
  private readonly plans: NamePlan[] = [];
  private plan: NamePlan | undefined = undefined;
  private labels: Labels = {};
  private names: readonly string[] = [];
  /** The table series being read, when it was started by {@link startRow}. */
  private row: TableSeries | undefined = undefined;
  private columnPlan: ColumnPlan | undefined = undefined;
  private readonly preferred: IdentityLabels;
  private readonly reasonNames: readonly string[];
  private readonly fixed: { ready: number; suspended: number; url: number; revision: number };
  /** The slots of the identity lists and the reason's, asked for every series. */
  private readonly identitySlots: Record<keyof IdentityLabels, readonly number[]>;
  private readonly reasonSlots: readonly number[];
  /** The source rule's lists (sourceFrom's questions, asked per state series) and their slots. */
  private readonly sourceLists: Array<readonly string[]> = [SOURCE_LABELS];
  private readonly sourceSlots: number[][] = [];
  private readonly first = (names: readonly string[]): string | undefined => {
    // Found among the few source lists by identity (three questions a series). Only those: the name
    // plans, built once in the constructor, fill their slots.
    const at = this.sourceLists.indexOf(names);
    if (at < 0) {
      throw new Error('LabelReader: a source rule list not registered in its constructor');
    }
    const slots = this.sourceSlots[at];
    for (let i = 0; i < slots.length; i++) {
      const value = this.values[slots[i]];
      if (value !== undefined) {
        return value;
      }
    }
    return undefined;
  };

  constructor(private readonly mapping: FluxLabelMapping) {
    this.preferred = identityLabels(mapping);
    this.reasonNames = reasonLabels(mapping);
    const { cluster, kind, namespace, name } = this.preferred;
    this.identitySlots = {
      cluster: this.slotsFor(cluster),
      kind: this.slotsFor(kind),
      namespace: this.slotsFor(namespace),
      name: this.slotsFor(name),
    };
    this.reasonSlots = this.slotsFor(this.reasonNames);
    for (const names of [['type'], ['status']]) {
      this.slotsFor(names);
    }
    // The slots of the single labels every state series is asked for, without a look-up each.
    const slot = (name: string) => this.slotsFor([name])[0];
    this.fixed = { ready: slot('ready'), suspended: slot('suspended'), url: slot('url'), revision: slot('revision') };
    for (const rule of KIND_SOURCE_LABELS) {
      this.sourceLists.push(rule.kindLabel, rule.labels);
    }
    this.sourceLists.forEach((names) => this.sourceSlots.push(this.slotsFor(names)));
  }

  private slotsFor(names: readonly string[]): number[] {
    const slots = names.map((name) => {
      let slot = this.slotOf.get(name);
      if (slot === undefined) {
        slot = this.values.length;
        this.slotOf.set(name, slot);
        this.values.push(undefined);
      }
      return slot;
    });
    return slots;
  }

  private planOf(names: readonly string[]): NamePlan {
    if (this.plan && sameNames(this.plan.names, names)) {
      return this.plan;
    }
    for (const plan of this.plans) {
      if (sameNames(plan.names, names)) {
        return plan;
      }
    }
    const slots = new Int32Array(names.length);
    const wanted: number[] = [];
    names.forEach((name, i) => {
      slots[i] = this.slotOf.get(name) ?? -1;
      if (slots[i] >= 0) {
        wanted.push(i);
      }
    });
    const plan = {
      names,
      slots,
      wanted: Int32Array.from(wanted),
      metricAt: names.indexOf('__name__'),
      plain: !names.includes('__proto__'),
    };
    if (this.plans.push(plan) > PLANS_KEPT) {
      this.plans.shift();
    }
    return plan;
  }

  /**
   * Starts reading a series' labels; returns its metric name (`__name__`, as labelValue reads it).
   * {@link pass} then reads the rest.
   */
  start(labels: Labels): string | undefined {
    const names = keysOf(labels);
    const plan = this.planOf(names);
    this.plan = plan;
    this.labels = labels;
    this.names = names;
    this.row = undefined;
    if (plan.metricAt < 0) {
      // Not among the own enumerable names; labelValue's answer for anything else.
      return labelValue(labels, '__name__');
    }
    const metric = labels[names[plan.metricAt]];
    return typeof metric === 'string' && metric !== '' ? metric : undefined;
  }

  /**
   * Starts reading a table series' labels, by column at its row (no labels record); returns its
   * metric name as {@link start} would from the row's record. {@link pass} then reads the rest.
   */
  startRow(series: TableSeries): string | undefined {
    const table = series.table;
    let plan = this.columnPlan;
    if (!plan || plan.table !== table) {
      plan = this.planColumns(table);
      this.columnPlan = plan;
    }
    this.row = series;
    const { cells } = table;
    const { metricColumns } = plan;
    let metric: string | undefined;
    for (let k = 0; k < metricColumns.length; k++) {
      metric = textOfCell(cells[metricColumns[k]][series.row]) ?? metric;
    }
    return metric;
  }

  private planColumns(table: TableColumns): ColumnPlan {
    const slots = new Int32Array(table.names.length);
    const wanted: number[] = [];
    const metricColumns: number[] = [];
    table.names.forEach((name, c) => {
      slots[c] = this.slotOf.get(name) ?? -1;
      if (slots[c] >= 0) {
        wanted.push(c);
      }
      if (name === '__name__') {
        metricColumns.push(c);
      }
    });
    return { table, slots, wanted: Int32Array.from(wanted), metricColumns: Int32Array.from(metricColumns) };
  }

  /** {@link pass} of a table series: the wanted columns' cells at its row, as text. */
  private passRow(series: TableSeries): undefined {
    const { values } = this;
    const { slots, wanted } = this.columnPlan!;
    const cells = series.table.cells;
    const row = series.row;
    for (let slot = 0; slot < values.length; slot++) {
      values[slot] = undefined;
    }
    for (let k = 0; k < wanted.length; k++) {
      const cell = cells[wanted[k]][row];
      // Strings, what Grafana gives, without a call ('' is no value, as in the record).
      const value = typeof cell === 'string' ? (cell === '' ? undefined : cell) : textOfCell(cell);
      if (value !== undefined) {
        values[slots[wanted[k]]] = value;
      }
    }
    return undefined;
  }

  /**
   * Reads the started series' labels: afterwards {@link value}, {@link identity} and {@link facts}
   * answer for it. Returns the shown labels (cleanLabels) when `shown`, else undefined and
   * only the names a rule reads are visited. A table series' (startRow): undefined, its facts
   * make them when asked.
   */
  pass(shown: boolean): Labels | undefined {
    if (this.row) {
      // A table series' shown labels are made when asked (TableSeries.shown).
      return this.passRow(this.row);
    }
    const { labels, names, values } = this;
    const { slots, wanted, metricAt, plain } = this.plan!;
    // A loop, not fill(): fill is a call into the runtime, per series.
    for (let slot = 0; slot < values.length; slot++) {
      values[slot] = undefined;
    }
    if (!shown) {
      for (let k = 0; k < wanted.length; k++) {
        const value = labels[names[wanted[k]]];
        if (typeof value === 'string' && value !== '') {
          values[slots[wanted[k]]] = value;
        }
      }
      return undefined;
    }
    const clean: Labels = {};
    for (let i = 0; i < names.length; i++) {
      const name = names[i];
      const value = labels[name];
      if (typeof value !== 'string' || value === '') {
        continue;
      }
      if (slots[i] >= 0) {
        values[slots[i]] = value;
      }
      if (i === metricAt) {
        continue;
      }
      if (plain) {
        clean[name] = value;
      } else {
        setLabel(clean, name, value);
      }
    }
    return clean;
  }

  /** {@link start} and {@link pass} in one. */
  read(labels: Labels, shown: boolean): Labels | undefined {
    this.start(labels);
    return this.pass(shown);
  }

  /** The last series' value of a label the reader knows ('type', 'status', the identity labels, …). */
  value(name: string): string | undefined {
    const slot = this.slotOf.get(name);
    return slot === undefined ? undefined : this.values[slot];
  }

  identity(): ObjectIdentity | { missing: string } {
    const identity: ObjectIdentity = { cluster: '', kind: '', namespace: '', name: '' };
    const missing = this.identityInto(identity);
    return missing === undefined ? identity : { missing };
  }

  /**
   * {@link identity} written into `into`, a record the caller reuses, instead of a new object per
   * series; returns the missing label's name instead when the series has no identity (`into`
   * then untouched).
   */
  identityInto(into: ObjectIdentity): string | undefined {
    const { name, kind, namespace, cluster } = this.identitySlots;
    const nameValue = this.firstIn(name);
    const kindValue = this.firstIn(kind);
    if (nameValue === undefined || kindValue === undefined) {
      return identityMissing(nameValue, kindValue, this.mapping);
    }
    into.name = nameValue;
    into.kind = kindValue;
    into.namespace = this.firstIn(namespace) ?? '';
    into.cluster = this.firstIn(cluster) ?? '';
    return undefined;
  }

  /**
   * The last series' identity is `identity`: what {@link identity} would answer, compared
   * without building it (a legacy object's four gauges come one after another).
   */
  isIdentityOf(identity: ObjectIdentity): boolean {
    const { name, kind, namespace, cluster } = this.identitySlots;
    return (
      this.firstIn(name) === identity.name &&
      this.firstIn(kind) === identity.kind &&
      (this.firstIn(namespace) ?? '') === identity.namespace &&
      (this.firstIn(cluster) ?? '') === identity.cluster
    );
  }

  /** The first value among `slots`: {@link first} without looking the slots up. */
  private firstIn(slots: readonly number[]): string | undefined {
    for (let i = 0; i < slots.length; i++) {
      const value = this.values[slots[i]];
      if (value !== undefined) {
        return value;
      }
    }
    return undefined;
  }

  /**
   * What the reading keeps of the last series' labels; `shown` is what {@link pass} returned. Written
   * on `into` when given (a series that is its own reading: one object less per series) and on a
   * table series (startRow) always, whose shown labels are made when asked.
   */
  facts(shown: Labels | undefined, into?: SeriesLabels): SeriesLabels {
    const values = this.values;
    if (into && !this.row) {
      into.shown = shown;
    }
    const series = this.row ?? into;
    if (series) {
      series.ready = values[this.fixed.ready];
      series.suspended = values[this.fixed.suspended];
      series.url = values[this.fixed.url];
      series.reason = this.firstIn(this.reasonSlots);
      series.revision = values[this.fixed.revision];
      series.source = sourceFrom(this.first);
      return series;
    }
    return {
      shown,
      labels: this.labels,
      ready: values[this.fixed.ready],
      suspended: values[this.fixed.suspended],
      url: values[this.fixed.url],
      reason: this.firstIn(this.reasonSlots),
      revision: values[this.fixed.revision],
      source: sourceFrom(this.first),
    };
  }
}
