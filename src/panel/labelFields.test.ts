import { CLUSTER_LABELS, REASON_LABELS } from '../flux';
import { LABEL_FIELDS } from './labelFields';

describe('panel options: label mapping', () => {
  const field = (key: string) => LABEL_FIELDS.find((f) => f.key === key)!;

  it('lists every label the core auto-detects for the cluster, in its order', () => {
    expect(field('cluster').placeholder).toBe(`auto: ${CLUSTER_LABELS.join(', ')}`);
    for (const label of CLUSTER_LABELS) {
      expect(field('cluster').description).toContain(label);
    }
  });

  it('lists every reason label the core auto-detects', () => {
    expect(field('reason').placeholder).toBe(`auto: ${REASON_LABELS.join(', ')}`);
    expect(field('reason').description).toContain(REASON_LABELS.join(', '));
  });

  it('has one field per mappable label', () => {
    expect(LABEL_FIELDS.map((f) => f.key)).toEqual(['cluster', 'kind', 'namespace', 'name', 'reason']);
  });
});
