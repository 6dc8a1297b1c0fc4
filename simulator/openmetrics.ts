/**
 * OpenMetrics text with explicit timestamps: the input of
 * `promtool tsdb create-blocks-from openmetrics FILE DIR`. prom-client cannot write sample
 * timestamps and does not export its escaping, so this file writes the lines itself with the same
 * escaping rules (tested in openmetrics.test.ts).
 */
import { ReconcileLedger, emitAll, type FamilyInfo, type SeriesSink } from './series';
import { playScenario, type PlayedScenario } from './timeline';
import type { Labels } from './targets';
import { ALL_SCHEMAS, SIMULATED_SCHEMAS, type Scenario, type SimulatedSchema } from './types';

/** Label value escaping of the text formats: backslash, double quote and line feed. */
export function escapeLabelValue(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** HELP text escaping (OpenMetrics also escapes double quotes there). */
export function escapeHelp(text: string): string {
  return escapeLabelValue(text);
}

const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

/** `{a="1",b="x\"y"}`; empty values are left out, as Prometheus stores no empty labels. */
export function formatLabels(labels: Labels): string {
  const parts: string[] = [];
  for (const [name, value] of Object.entries(labels)) {
    if (!LABEL_NAME.test(name)) {
      throw new Error(`invalid label name "${name}"`);
    }
    if (value !== '') {
      parts.push(`${name}="${escapeLabelValue(value)}"`);
    }
  }
  return parts.length === 0 ? '' : `{${parts.join(',')}}`;
}

export function formatValue(value: number): string {
  if (Number.isNaN(value)) {
    return 'NaN';
  }
  if (value === Infinity) {
    return '+Inf';
  }
  if (value === -Infinity) {
    return '-Inf';
  }
  return String(value);
}

/** Seconds since the epoch, as OpenMetrics wants them (ms precision). */
export function formatTimestamp(epochMs: number): string {
  return String(Math.round(epochMs) / 1000);
}

interface FamilyBuffer {
  info: FamilyInfo;
  lines: string[];
}

/**
 * Accumulates samples per metric family (families never interleave) and renders the file.
 * Feed samples in time order per series.
 */
export class OpenMetricsWriter implements SeriesSink {
  private readonly families = new Map<string, FamilyBuffer>();
  private timestamp = '0';
  private samples = 0;

  /** Sets the timestamp of the samples that follow. */
  at(epochMs: number): this {
    this.timestamp = formatTimestamp(epochMs);
    return this;
  }

  get sampleCount(): number {
    return this.samples;
  }

  private buffer(info: FamilyInfo): string[] {
    const familyName = openMetricsFamilyName(info);
    let buffer = this.families.get(familyName);
    if (!buffer) {
      buffer = { info, lines: [] };
      this.families.set(familyName, buffer);
    } else if (buffer.info.type !== info.type) {
      throw new Error(`metric family ${familyName} written as ${buffer.info.type} and ${info.type}`);
    }
    return buffer.lines;
  }

  private line(lines: string[], name: string, labels: string, value: number): void {
    lines.push(`${name}${labels} ${formatValue(value)} ${this.timestamp}`);
    this.samples++;
  }

  /** Formatted label text by label object identity (the simulator reuses unchanged label objects). */
  private readonly labelText = new WeakMap<Labels, string>();

  private format(labels: Labels): string {
    let text = this.labelText.get(labels);
    if (text === undefined) {
      text = formatLabels(labels);
      this.labelText.set(labels, text);
    }
    return text;
  }

  gauge(info: FamilyInfo, labels: Labels, value: number): void {
    this.line(this.buffer(info), info.name, this.format(labels), value);
  }

  counter(info: FamilyInfo, labels: Labels, value: number): void {
    const name = info.name.endsWith('_total') ? info.name : `${info.name}_total`;
    this.line(this.buffer(info), name, this.format(labels), value);
  }

  histogram(info: FamilyInfo, labels: Labels, bucketCounts: ArrayLike<number>, sum: number, count: number): void {
    const lines = this.buffer(info);
    const bounds = info.buckets ?? [];
    const base = formatLabels(labels);
    const withLe = (le: string) => (base === '' ? `{le="${le}"}` : `${base.slice(0, -1)},le="${le}"}`);
    for (let i = 0; i < bounds.length; i++) {
      this.line(lines, `${info.name}_bucket`, withLe(formatValue(bounds[i])), bucketCounts[i]);
    }
    this.line(lines, `${info.name}_bucket`, withLe('+Inf'), count);
    this.line(lines, `${info.name}_sum`, base, sum);
    this.line(lines, `${info.name}_count`, base, count);
  }

  /** Appends everything another writer collected (e.g. several scenarios in one file). */
  merge(other: OpenMetricsWriter): this {
    for (const [name, buffer] of other.families) {
      const lines = this.buffer(buffer.info);
      for (const line of buffer.lines) {
        lines.push(line);
      }
      void name;
    }
    this.samples += other.samples;
    return this;
  }

  toString(): string {
    const out: string[] = [];
    for (const [familyName, { info, lines }] of this.families) {
      out.push(`# TYPE ${familyName} ${info.type}`);
      out.push(`# HELP ${familyName} ${escapeHelp(info.help)}`);
      if (lines.length > 0) {
        out.push(lines.join('\n'));
      }
    }
    out.push('# EOF', '');
    return out.join('\n');
  }
}

/** OpenMetrics names a counter family without its `_total` suffix. */
function openMetricsFamilyName(info: FamilyInfo): string {
  return info.type === 'counter' ? info.name.replace(/_total$/, '') : info.name;
}

export interface OpenMetricsOptions {
  /** Which families to write: one schema, several, or `all` (the scenario's own list when omitted). */
  schema?: SimulatedSchema | readonly SimulatedSchema[] | 'all';
  /** Epoch ms of offset 0 instead of the scenario's `start` (to place several runs side by side). */
  startMs?: number;
  /** Write gotk_reconcile_duration_seconds and controller metrics (default: as the scenario says). */
  reconcileMetrics?: boolean;
  /** Append to this writer instead of a new one. */
  writer?: OpenMetricsWriter;
}

export function resolveSchemas(scenario: Scenario, schema: OpenMetricsOptions['schema']): SimulatedSchema[] {
  if (schema === undefined) {
    return scenario.schemas;
  }
  if (schema === 'all') {
    return [...ALL_SCHEMAS];
  }
  const list = typeof schema === 'string' ? [schema] : [...schema];
  for (const s of list) {
    if (!(SIMULATED_SCHEMAS as readonly string[]).includes(s)) {
      throw new Error(`unknown schema "${s}" (expected one of ${SIMULATED_SCHEMAS.join(', ')}, all)`);
    }
  }
  if (list.includes('legacy-2.0') && list.includes('legacy-2.4')) {
    throw new Error('legacy-2.0 and legacy-2.4 share gotk_reconcile_condition: write them to separate files or times');
  }
  return list;
}

/** Fills a writer with the scenario's whole history, one sample per series every step. */
export function writeScenarioHistory(
  played: PlayedScenario,
  writer: OpenMetricsWriter,
  options: Omit<OpenMetricsOptions, 'writer'> = {}
): OpenMetricsWriter {
  const { scenario } = played;
  const schemas = resolveSchemas(scenario, options.schema);
  const startMs = options.startMs ?? scenario.startMs;
  const withReconciles = options.reconcileMetrics ?? (scenario.reconcileDuration || scenario.controllerMetrics);
  const ledger = withReconciles ? new ReconcileLedger(played) : undefined;
  const steps = Math.floor(scenario.durationSeconds / scenario.stepSeconds);
  for (let i = 0; i <= steps; i++) {
    const offset = i * scenario.stepSeconds;
    ledger?.advanceTo(offset);
    writer.at(startMs + offset * 1000);
    emitAll(played, schemas, ledger, offset, writer);
  }
  return writer;
}

/**
 * The scenario's history as OpenMetrics text (timestamps in seconds, families grouped, `# EOF`
 * last), ready for `promtool tsdb create-blocks-from openmetrics`.
 */
export function scenarioToOpenMetrics(scenario: Scenario, options: OpenMetricsOptions = {}): string {
  const writer = options.writer ?? new OpenMetricsWriter();
  writeScenarioHistory(playScenario(scenario), writer, options);
  return writer.toString();
}
