/**
 * Words for one object: the tooltip rows and the sentence screen readers announce.
 * Everything returned is plain text; React renders it escaped (label values are untrusted).
 */
import { FluxObject, formatDuration } from '../flux';

export interface DescribeContext {
  nowMs: number;
  /** Failing longer than the threshold. */
  sustained: boolean;
}

export interface TooltipRow {
  label: string;
  value: string;
}

export function objectPath(object: FluxObject): string {
  return object.namespace ? `${object.namespace}/${object.name}` : object.name;
}

/** "Kustomization flux-system/apps" */
export function objectTitle(object: FluxObject): string {
  return `${object.kind} ${objectPath(object)}`;
}

/** "Failed", or "Failed for 12m" when the failure is sustained. */
export function stateText(object: FluxObject, { nowMs, sustained }: DescribeContext): string {
  if (sustained && object.state === 'Failed' && object.since !== undefined) {
    const lowerBound = object.sinceIsLowerBound ? 'at least ' : '';
    return `Failed for ${lowerBound}${formatDuration(Math.max(0, nowMs - object.since))} (sustained)`;
  }
  return object.state;
}

/** "Kustomization flux-system/apps: Failed, reason BuildFailed" (+ cluster, + sustained). */
export function announceObject(object: FluxObject, context: DescribeContext): string {
  const parts = [`${objectTitle(object)}: ${stateText(object, context)}`];
  if (object.reason) {
    parts.push(`reason ${object.reason}`);
  }
  if (object.cluster) {
    parts.push(`cluster ${object.cluster}`);
  }
  return parts.join(', ');
}

/** A tile's second line: "Failed · 12m", "Ready · at least 1h" or just the state when unknown. */
export function tileCaption(object: FluxObject, nowMs: number): string {
  const time = timeInState(object, nowMs);
  return time ? `${object.state} · ${time}` : object.state;
}

function timeInState(object: FluxObject, nowMs: number): string | undefined {
  if (object.since === undefined) {
    return undefined;
  }
  const duration = formatDuration(Math.max(0, nowMs - object.since));
  return object.sinceIsLowerBound ? `at least ${duration}` : duration;
}

/** Mean reconcile time: sub-second as ms, otherwise like time in state (not the simulator's formatSeconds). */
function formatReconcileSeconds(seconds: number): string {
  return seconds < 1 ? `${Math.round(seconds * 1000)}ms` : formatDuration(seconds * 1000);
}

/**
 * The tooltip's rows under its header. The header names the object (kind, namespace/name), so the
 * rows never repeat it; "Suspended" is said only when it is news (a suspended object whose state
 * is not already Suspended), never "Suspended: no".
 */
export function tooltipRows(object: FluxObject, context: DescribeContext): TooltipRow[] {
  const rows: TooltipRow[] = [];
  const add = (label: string, value: string | undefined) => {
    if (value !== undefined && value !== '') {
      rows.push({ label, value });
    }
  };
  add('Cluster', object.cluster);
  add('State', stateText(object, context));
  add('Reason', object.reason);
  add('Revision', object.revision);
  add('Source', object.source);
  add('Suspended', object.suspended && object.state !== 'Suspended' ? 'yes' : undefined);
  add('Time in state', timeInState(object, context.nowMs));
  const reconcile = object.reconcile;
  if (reconcile?.lastReconcileAt !== undefined) {
    add('Last reconcile', `${formatDuration(Math.max(0, context.nowMs - reconcile.lastReconcileAt))} ago`);
  }
  if (reconcile?.meanSeconds !== undefined) {
    add('Mean reconcile', formatReconcileSeconds(reconcile.meanSeconds));
  }
  return rows;
}
