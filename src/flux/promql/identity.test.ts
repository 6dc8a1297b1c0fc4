import { seriesFrame } from '../testing/frames';
import { labelCopyPatterns, re2AsJs } from '../testing/promql';
import { objectKey, resolveIdentity } from '../labels';
import { copyLabel, normalizeIdentity, valuesByIdentity, WHOLE_VALUE } from './identity';

/** A series of times and values (the core's test frame). */
const series = (labels: Record<string, string>, times: number[], values: number[]) =>
  seriesFrame(
    labels,
    times.map((t, i) => [t, values[i]])
  );

describe('valuesByIdentity', () => {
  it("keys raw series with the core's identity rule and the label settings; the latest value per object wins", () => {
    const exported = { kind: 'Kustomization', exported_namespace: 'apps', namespace: 'flux-system', name: 'podinfo' };
    const honored = { kind: 'Kustomization', namespace: 'apps', name: 'podinfo' };
    const map = valuesByIdentity(
      [series(exported, [1000], [40]), series(honored, [1000], [42]), series({ kind: 'Kustomization' }, [1000], [50])],
      {}
    );
    // Both scrape styles are one object, keyed as the core keys its state series; no name, no object.
    const key = objectKey({ cluster: '', kind: 'Kustomization', namespace: 'apps', name: 'podinfo' });
    expect([...map.entries()]).toEqual([[key, { ref: resolveIdentity(exported), value: 42 }]]);
    // A label setting decides as it does for the state series.
    const mapped = valuesByIdentity([series({ ...honored, team: 'a' }, [1000], [42])], { cluster: 'team' });
    expect([...mapped.keys()]).toEqual([
      objectKey({ cluster: 'a', kind: 'Kustomization', namespace: 'apps', name: 'podinfo' }),
    ]);
  });
});

describe('the identity copy', () => {
  it('copies a label value whole, newlines included, as RE2 reads the pattern (no s flag on Prometheus 2.x)', () => {
    const patterns = labelCopyPatterns(normalizeIdentity('m', 'flux-operator', {}));
    expect(patterns.length).toBeGreaterThanOrEqual(4);
    for (const pattern of patterns) {
      const re = re2AsJs(pattern);
      expect(['a', 'x\ny', '\n', 'line\r\nbreak'].map((v) => re.exec(v)?.[1])).toEqual([
        'a',
        'x\ny',
        '\n',
        'line\r\nbreak',
      ]);
      expect(re.test('')).toBe(false);
    }
    expect(WHOLE_VALUE).toBe('((?s).+)');
  });

  it('writes its $1 so that template interpolation cannot see it', () => {
    expect(copyLabel('m', 'dst', 'src')).toBe('label_replace(m, "dst", "\\x241", "src", "((?s).+)")');
  });
});
