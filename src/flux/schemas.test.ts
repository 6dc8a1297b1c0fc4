import { SeriesRef } from './frames';
import { classifySeries, roleFromLabels } from './schemas';

const series = (labels: Record<string, string>, fieldName = 'Value', frameName = ''): SeriesRef => ({
  labels,
  fieldName,
  frameName,
  frameIndex: 0,
  times: [],
  values: [],
  start: 0,
  end: 0,
  schema: undefined,
  query: { start: NaN, end: NaN, step: Infinity },
});

describe('classifySeries', () => {
  it.each([
    ['gotk_reconcile_condition', 'legacyCondition'],
    ['gotk_suspend_status', 'legacySuspend'],
    ['gotk_resource_info', 'kubeStateMetricsInfo'],
    ['flux_resource_info', 'fluxOperatorInfo'],
    ['gotk_reconcile_duration_seconds_count', 'reconcileCount'],
    ['gotk_reconcile_duration_seconds_sum', 'reconcileSum'],
    ['gotk_reconcile_duration_seconds_bucket', 'ignored'],
    // The Flux Operator's own objects (flux-operator internal/reporter/metrics.go): objects like
    // flux_resource_info's; flux_operator_info{version} is about the operator, not an object.
    ['flux_instance_info', 'fluxOperatorInfo'],
    ['flux_resourceset_info', 'fluxOperatorInfo'],
    ['flux_resourcesetinputprovider_info', 'fluxOperatorInfo'],
    ['flux_operator_info', 'other'],
  ])('__name__ %s is %s', (name, role) => {
    expect(classifySeries(series({ __name__: name })).role).toBe(role);
  });

  it('falls back to the field name, then the frame name, when they are Flux metrics', () => {
    expect(classifySeries(series({}, 'gotk_suspend_status')).role).toBe('legacySuspend');
    expect(classifySeries(series({}, 'Value', 'flux_resource_info')).role).toBe('fluxOperatorInfo');
  });

  it('detects by labels, and names the non-Flux metric otherwise', () => {
    expect(classifySeries(series({ customresource_kind: 'K', name: 'a' })).role).toBe('kubeStateMetricsInfo');
    expect(classifySeries(series({ job: 'x' }, 'up'))).toEqual({ role: 'other', metric: 'up' });
    expect(classifySeries(series({ job: 'x' }, 'Value #A', 'my frame'))).toEqual({ role: 'other', metric: 'my frame' });
    expect(classifySeries(series({ job: 'x' }, 'Value #A'))).toEqual({ role: 'other', metric: undefined });
  });
});

describe('roleFromLabels', () => {
  it.each([
    [{ customresource_kind: 'K' }, 'kubeStateMetricsInfo'],
    [{ kind: 'K', type: 'Ready', status: 'True' }, 'legacyCondition'],
    [{ kind: 'K', ready: 'True' }, 'fluxOperatorInfo'],
    [{ kind: 'K', uid: 'u' }, 'fluxOperatorInfo'],
    [{ kind: 'K', name: 'a' }, undefined],
    [{ type: 'Ready', status: '' }, undefined],
    [{ kind: 'K', name: 'a', status: 'False' }, 'legacyCondition'],
    [{ kind: 'K', name: 'a', status: 'Running' }, undefined],
  ])('%p -> %p', (labels, role) => {
    expect(roleFromLabels(labels)).toBe(role);
  });
});
