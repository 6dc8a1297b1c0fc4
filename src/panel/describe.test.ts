import { fluxObject } from '../flux/testing/frames';
import { MINUTE, T_END } from './testing/fixtures';
import { announceObject, tooltipRows } from './describe';

const failing = fluxObject({
  kind: 'Kustomization',
  namespace: 'flux-system',
  name: 'apps',
  state: 'Failed',
  reason: 'BuildFailed',
  revision: 'main@sha1:abc',
  source: 'flux-system',
  since: T_END - 12 * MINUTE,
  reconcile: { count: 3, meanSeconds: 0.25, lastReconcileAt: T_END - 2 * MINUTE },
});

describe('announceObject', () => {
  it('names kind, namespace/name, state and reason', () => {
    expect(announceObject(failing, { nowMs: T_END, sustained: false })).toBe(
      'Kustomization flux-system/apps: Failed, reason BuildFailed'
    );
  });

  it('says how long a sustained failure has lasted, and the cluster when there is one', () => {
    expect(announceObject({ ...failing, cluster: 'prod' }, { nowMs: T_END, sustained: true })).toBe(
      'Kustomization flux-system/apps: Failed for 12m (sustained), reason BuildFailed, cluster prod'
    );
  });
});

describe('tooltipRows', () => {
  it('lists everything known about the object, without repeating the header or saying "Suspended: no"', () => {
    const rows = Object.fromEntries(
      tooltipRows(failing, { nowMs: T_END, sustained: false }).map((r) => [r.label, r.value])
    );
    expect(rows).toEqual({
      State: 'Failed',
      Reason: 'BuildFailed',
      Revision: 'main@sha1:abc',
      Source: 'flux-system',
      'Time in state': '12m',
      'Last reconcile': '2m ago',
      'Mean reconcile': '250ms',
    });
  });

  it('says "Suspended" only when the state does not already', () => {
    const label = (o: typeof failing) => tooltipRows(o, { nowMs: T_END, sustained: false }).map((r) => r.label);
    expect(label({ ...failing, suspended: true })).toContain('Suspended');
    expect(label({ ...failing, suspended: true, state: 'Suspended' })).not.toContain('Suspended');
  });

  it('says "at least" when the state began before the data', () => {
    const rows = tooltipRows({ ...failing, sinceIsLowerBound: true }, { nowMs: T_END, sustained: true });
    expect(rows.find((r) => r.label === 'Time in state')?.value).toBe('at least 12m');
    expect(rows.find((r) => r.label === 'State')?.value).toBe('Failed for at least 12m (sustained)');
  });
});
