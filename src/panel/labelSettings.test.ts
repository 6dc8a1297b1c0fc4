import { labelSettingProblem, labelSettingProblems } from './labelSettings';
import { toNormalizeOptions } from './options';
import { DEFAULT_LABELS } from './types';

describe('label settings', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'])(
    "rejects '%s', a name every JavaScript object answers to",
    (name) => {
      expect(labelSettingProblem('Kind label', name)).toMatch(
        new RegExp(`^Kind label '${name}' cannot be used: it is a built-in JavaScript property name\\. Clear it`)
      );
    }
  );

  it.each(['resource kind', '1kind', 'kind-label', 'ns{x}'])("rejects '%s', not a Prometheus label name", (name) => {
    expect(labelSettingProblem('Name label', name)).toContain(`Name label '${name}' is not a Prometheus label name`);
  });

  it('accepts label names and empty (auto-detect) settings', () => {
    for (const name of ['', '  ', 'exported_namespace', '_kind', 'K8s_cluster', undefined]) {
      expect(labelSettingProblem('Cluster label', name)).toBeUndefined();
    }
  });

  it('lists each unusable setting by its editor name, and the core never sees them', () => {
    const labels = { ...DEFAULT_LABELS, kind: 'constructor', name: 'name', reason: 'ready reason' };
    expect(labelSettingProblems(labels)).toEqual([
      expect.stringMatching(/^Kind label 'constructor'/),
      expect.stringMatching(/^Reason label 'ready reason'/),
    ]);
    expect(toNormalizeOptions({ labels, includeDeleted: false })).toEqual({
      labels: { name: 'name' },
      includeDeleted: false,
    });
  });
});
