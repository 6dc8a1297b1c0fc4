import { STATE_SCHEMAS } from '../flux';
import { QUERY_TYPES, SCHEMA_OPTIONS } from './types';

describe('editor choice lists', () => {
  it('lists every query type once, with a label and a description, Objects (the default) first', () => {
    const values = QUERY_TYPES.map((t) => t.value);
    expect(values[0]).toBe('objects');
    expect(new Set(values).size).toBe(values.length);
    expect(values).toEqual(
      expect.arrayContaining(['objects', 'stateHistory', 'reconcileDuration', 'summary', 'stateChanges'])
    );
    expect(QUERY_TYPES.every((t) => t.label && t.description)).toBe(true);
  });

  it("offers Auto and each of the core's state schemas, naming each schema's metric", () => {
    expect(SCHEMA_OPTIONS.map((o) => o.value).sort()).toEqual(['auto', ...STATE_SCHEMAS].sort());
    expect(SCHEMA_OPTIONS[0].value).toBe('auto');
    const described = Object.fromEntries(SCHEMA_OPTIONS.map((o) => [o.value, o.description]));
    expect(described['kube-state-metrics']).toMatch(/^gotk_resource_info /);
    expect(described['flux-operator']).toBe('flux_resource_info');
    expect(described.legacy).toMatch(/^gotk_reconcile_condition \+ gotk_suspend_status/);
  });
});
