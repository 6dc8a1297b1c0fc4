import { seriesFrame } from '../testing/frames';
import { labelCopyPatterns, re2AsJs } from '../testing/promql';
import { copyLabel, normalizeIdentity, valuesByObject, WHOLE_VALUE } from './identity';

const id = (name: string, extra: Record<string, string> = {}) => ({
  fluxgrid_kind: 'Kustomization',
  fluxgrid_namespace: 'apps',
  fluxgrid_name: name,
  ...extra,
});

/** A series of times and values (the core's test frame). */
const series = (labels: Record<string, string>, times: number[], values: number[]) =>
  seriesFrame(
    labels,
    times.map((t, i) => [t, values[i]])
  );

describe('valuesByObject', () => {
  it('keys values like the core keys objects', () => {
    const map = valuesByObject([series(id('podinfo', { fluxgrid_cluster: 'eu' }), [1000], [42])]);
    expect(Array.from(map.keys())).toEqual(['eu\u001fKustomization\u001fapps\u001fpodinfo']);
    expect(map.get('eu\u001fKustomization\u001fapps\u001fpodinfo')?.value).toBe(42);
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
