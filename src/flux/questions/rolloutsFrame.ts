/**
 * The Rollout frame: one row per object and cluster, written by the datasource and read back by
 * the panel's rollout mode (writing and reading together, like fluxgridFrame.ts). Its fields are
 * a superset of the Objects frame's required ones (kind, name, state), so a panel in grid mode
 * shows its rows as objects too. Messages (no revision in some exporter) travel as frame notices.
 */
// Types only: the core must load in node, and @grafana/data's runtime needs a window.
import type { DataFrame, Field, FieldType } from '@grafana/data';

import { cellText, isValues, toMs } from '../frames';
import { objectKey } from '../labels';
import { isFluxState } from '../state';
import { FLUXGRID_FRAME_FORMAT } from '../types';
import { Rollout, RolloutMember, RolloutStatus } from './rollouts';

export const ROLLOUT_FRAME_NAME = 'Rollout';

const STATUSES: readonly RolloutStatus[] = ['newest', 'lagging', 'no revision'];

export function toRolloutFrame(rollouts: Rollout[], refId?: string): DataFrame {
  const rows: Array<{ rollout: Rollout; member: RolloutMember }> = rollouts.flatMap((rollout) =>
    rollout.members.map((member) => ({ rollout, member }))
  );
  const field = (
    name: string,
    type: string,
    pick: (r: (typeof rows)[number]) => unknown,
    displayName = name
  ): Field => ({
    name,
    type: type as FieldType,
    config: { displayName },
    values: rows.map(pick),
  });
  const messages = rollouts.flatMap((r) => (r.message ? [r.message] : []));
  return {
    name: ROLLOUT_FRAME_NAME,
    refId,
    length: rows.length,
    meta: {
      preferredVisualisationType: 'table',
      custom: { fluxgrid: { version: 1, rollout: true } },
      ...(messages.length ? { notices: messages.map((text) => ({ severity: 'warning' as const, text })) } : {}),
    },
    fields: [
      field('kind', 'string', (r) => r.member.kind, 'Kind'),
      field('namespace', 'string', (r) => r.member.namespace, 'Namespace'),
      field('name', 'string', (r) => r.member.name, 'Name'),
      field('cluster', 'string', (r) => r.member.cluster, 'Cluster'),
      field('revision', 'string', (r) => r.member.revision ?? '', 'Revision'),
      field('rollout', 'string', (r) => r.member.status, 'Rollout'),
      field('state', 'string', (r) => r.member.state, 'State'),
      field('reason', 'string', (r) => r.member.reason ?? '', 'Reason'),
      field('since', 'time', (r) => r.member.since ?? null, 'Running it since'),
      field('sinceIsLowerBound', 'boolean', (r) => r.member.sinceIsLowerBound ?? false, 'Since is a lower bound'),
      field('newest', 'string', (r) => r.rollout.newest ?? '', 'Newest revision'),
      field(
        'laggingSince',
        'time',
        (r) => (r.member.status === 'lagging' ? (r.rollout.newestSince ?? null) : null),
        'Lagging since'
      ),
    ],
  };
}

export function isRolloutFrame(frame: DataFrame): boolean {
  const custom = frame.meta?.custom?.fluxgrid as { rollout?: unknown } | undefined;
  return custom !== undefined && custom !== null && custom.rollout === true;
}

/** Rollouts from Rollout frames (untrusted like any frame: bad rows are skipped). */
export function readRolloutFrames(frames: DataFrame[]): Rollout[] {
  const byObject = new Map<string, Rollout>();
  for (const frame of frames) {
    if (!isRolloutFrame(frame)) {
      continue;
    }
    const fields = new Map<string, Field>();
    for (const f of Array.isArray(frame.fields) ? frame.fields : []) {
      if (f && typeof f.name === 'string' && isValues(f.values)) {
        fields.set(f.name, f);
      }
    }
    const text = (name: string, row: number) => cellText(fields.get(name)?.values[row]);
    const time = (name: string, row: number) => {
      const v = fields.get(name)?.values[row];
      const ms = v === null || v === undefined ? NaN : toMs(v);
      return Number.isNaN(ms) ? undefined : ms;
    };
    const rows = fields.get('kind')?.values.length ?? 0;
    const notices = (frame.meta?.notices ?? []).map((n) => n.text).filter((t) => typeof t === 'string');
    for (let row = 0; row < rows; row++) {
      const kind = text('kind', row);
      const name = text('name', row);
      if (kind === undefined || name === undefined) {
        continue;
      }
      const namespace = text('namespace', row) ?? '';
      const cluster = text('cluster', row) ?? '';
      const id = objectKey({ cluster: '', kind, namespace, name });
      let rollout = byObject.get(id);
      if (!rollout) {
        rollout = { kind, namespace, name, members: [], onNewest: 0, lagging: 0 };
        const subject = `${kind} ${namespace ? `${namespace}/` : ''}${name} `;
        const message = notices.filter((n) => n.startsWith(subject)).join('; ');
        if (message) {
          rollout.message = message;
        }
        byObject.set(id, rollout);
      }
      const rawState = text('state', row);
      const rawStatus = text('rollout', row);
      const status = STATUSES.find((s) => s === rawStatus) ?? 'no revision';
      const member: RolloutMember = {
        key: objectKey({ cluster, kind, namespace, name }),
        cluster,
        kind,
        namespace,
        name,
        state: isFluxState(rawState) ? rawState : 'Unknown',
        status,
        schema: FLUXGRID_FRAME_FORMAT,
      };
      const revision = text('revision', row);
      const reason = text('reason', row);
      const since = time('since', row);
      if (revision !== undefined) {
        member.revision = revision;
      }
      if (reason !== undefined) {
        member.reason = reason;
      }
      if (since !== undefined) {
        member.since = since;
        member.sinceIsLowerBound = fields.get('sinceIsLowerBound')?.values[row] === true;
      }
      rollout.members.push(member);
      rollout.onNewest += status === 'newest' ? 1 : 0;
      rollout.lagging += status === 'lagging' ? 1 : 0;
      const newest = text('newest', row);
      if (newest !== undefined) {
        rollout.newest = newest;
      }
      const laggingSince = time('laggingSince', row);
      if (laggingSince !== undefined) {
        rollout.newestSince = laggingSince;
      }
    }
  }
  for (const rollout of byObject.values()) {
    // No lagging row to say it: the newest revision's adoption is its earliest member's since.
    if (rollout.newestSince === undefined) {
      const times = rollout.members.flatMap((m) => (m.status === 'newest' && m.since !== undefined ? [m.since] : []));
      if (times.length) {
        rollout.newestSince = Math.min(...times);
      }
    }
  }
  return Array.from(byObject.values());
}
