/**
 * A Prometheus series as the reading sees it, a window onto a frame's arrays, and the timing of the
 * query it answers: what frames.ts, queryTimings.ts and tableFrame.ts share (each imports them
 * from here, so none imports another's back).
 */
// Types only: see frames.ts (the core loads in node).
import type { DataFrame, Field } from '@grafana/data';

import { Labels, SeriesLabels } from './labels';
import { FluxSchema } from './types';

export interface SeriesRef {
  /** Labels as delivered, `__name__` included when present. */
  labels: Labels;
  /** The number field's name ('Value', 'Value #A' or a metric name). */
  readonly fieldName: string;
  /** The frame's name, '' when none. */
  readonly frameName: string;
  /** Position of the frame in the input (name it in a message with frames.ts frameLabel). */
  frameIndex: number;
  times: ArrayLike<unknown>;
  values: ArrayLike<unknown>;
  /** Rows [start, end) of times/values belong to this series. */
  start: number;
  end: number;
  /** Set once the series is known to be a state metric (see normalize.ts). */
  schema: FluxSchema | undefined;
  /** Its labels as the reading reads them, set once it is known to be a state series (see normalize.ts). */
  read?: SeriesLabels;
  /** When the series' own query sampled: what the series is judged against, never another query's timing. */
  query: QueryTiming;
  /**
   * times[start, end) are numbers in strictly ascending order (a query's samples, as Grafana gives
   * them), known from the frame's scan: the newest and oldest sample are then found from the ends.
   * Absent or false: unknown.
   */
  ascending?: boolean;
  /**
   * When ascending and the times are integers evenly spaced: the gap between two (0 for one time);
   * two such series with the same first time, count and spacing sample at the same times. Absent
   * or NaN otherwise.
   */
  spacing?: number;
}

/**
 * The timestamps of one query (the frames of one refId): its oldest and newest sample and its step.
 * A panel mixes queries with different steps and ends (A every 60 s, B every 15 s, C an instant at
 * now); whether a series ended before its data did only means something against its own query.
 */
export interface QueryTiming {
  /** Oldest and newest timestamp of any row of the query's frames; NaN while none. */
  start: number;
  end: number;
  /**
   * The query's step: the time field's `config.interval` (Grafana sets it for range queries), else
   * the smallest gap between two timestamps of one frame. Infinity when unknown (one timestamp).
   */
  step: number;
}

/**
 * A series over rows [start, end) of a frame's number field: what a frame per series
 * (frames.ts) and a table's run of rows (tableFrame.ts) have in common; each says where its labels
 * come from. The field's and the frame's names are read only when asked (a series without
 * `__name__`).
 */
export abstract class FieldWindow implements SeriesRef {
  // Declared, then set in the constructor (no parameter properties): the es2015 production build
  // turns each class field into a defineProperty helper call, a dozen per series (see byTime.ts).
  abstract labels: Labels;
  declare start: number;
  declare end: number;
  declare schema: FluxSchema | undefined;
  declare read: SeriesLabels | undefined;
  declare private readonly field: Field;
  declare private readonly frame: DataFrame;
  declare readonly frameIndex: number;
  declare readonly times: ArrayLike<unknown>;
  declare readonly values: ArrayLike<unknown>;
  declare readonly query: QueryTiming;

  constructor(
    field: Field,
    frame: DataFrame,
    frameIndex: number,
    times: ArrayLike<unknown>,
    values: ArrayLike<unknown>,
    query: QueryTiming,
    start: number,
    end: number
  ) {
    this.field = field;
    this.frame = frame;
    this.frameIndex = frameIndex;
    this.times = times;
    this.values = values;
    this.query = query;
    this.start = start;
    this.end = end;
    this.schema = undefined;
    this.read = undefined;
  }

  get fieldName(): string {
    return typeof this.field.name === 'string' ? this.field.name : '';
  }

  get frameName(): string {
    return typeof this.frame.name === 'string' ? this.frame.name : '';
  }
}
