import { ScopedVars, TypedVariableModel } from '@grafana/data';
import type * as Scenes from '@grafana/scenes';

import { fillJsdomGaps } from './components/jsdomGaps';
import { filterAccepts, interpolateFilter, TemplateSrvLike } from './interpolate';
import { FakeTemplateSrv } from './testing/templateSrv';

const srv = new FakeTemplateSrv([
  { name: 'ns', options: ['apps', 'infra', 'flux-system'], current: ['apps', 'infra'] },
  { name: 'one', options: ['apps'], current: 'apps' },
  { name: 'all', options: ['a', 'b'], current: '$__all' },
  { name: 'customAll', options: ['a', 'b'], current: '$__all', allValue: '.*' },
  { name: 'hostile', options: ['.*', 'a|b'], current: ['.*', 'a|b'] },
  { name: 'empty', options: [], current: [] },
]);

describe('interpolateFilter', () => {
  it("tells All from the variable's selection, whichever model Grafana formats with", () => {
    // A scenes dashboard (the default) names the variable only: its selection is looked up.
    expect(interpolateFilter('$all', 'exact', srv)).toBeUndefined();
    // The pre-scenes TemplateSrv handed the whole model, its selection included.
    const legacy = new FakeTemplateSrv(srv.variables, 'legacy');
    expect(interpolateFilter('$all', 'exact', legacy)).toBeUndefined();
    expect(interpolateFilter('$ns', 'exact', legacy)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
    expect(interpolateFilter('$all', 'exact', legacy, { all: { text: 'a', value: 'a' } })).toEqual({
      type: 'oneOf',
      values: ['a'],
    });
    // An All of no values (a fleet without cluster labels) is still All, not a filter matching nothing.
    const none = new FakeTemplateSrv([{ name: 'cluster', options: [], current: '$__all' }]);
    expect(interpolateFilter('$cluster', 'exact', none)).toBeUndefined();
  });

  it('is no filter when empty or All', () => {
    expect(interpolateFilter(undefined, 'exact', srv)).toBeUndefined();
    expect(interpolateFilter('  ', 'exact', srv)).toBeUndefined();
    expect(interpolateFilter('$all', 'exact', srv)).toBeUndefined();
    expect(interpolateFilter('${all}', 'regex', srv)).toBeUndefined();
    expect(interpolateFilter('$customAll', 'exact', srv)).toBeUndefined();
  });

  it('takes typed text as an exact value (exact fields) or a regex (name)', () => {
    expect(interpolateFilter('apps', 'exact', srv)).toEqual({ type: 'equals', value: 'apps' });
    expect(interpolateFilter('pod.*', 'regex', srv)).toEqual({ type: 'regex', pattern: 'pod.*' });
    expect(interpolateFilter('a.b', 'exact', srv)).toEqual({ type: 'equals', value: 'a.b' });
  });

  it('keeps variable values literal: single, multi and hostile', () => {
    expect(interpolateFilter('$one', 'exact', srv)).toEqual({ type: 'oneOf', values: ['apps'] });
    expect(interpolateFilter('$ns', 'regex', srv)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
    expect(interpolateFilter('[[hostile]]', 'exact', srv)).toEqual({ type: 'oneOf', values: ['.*', 'a|b'] });
    expect(interpolateFilter('$empty', 'exact', srv)).toEqual({ type: 'oneOf', values: [] });
  });

  it('mixes typed text and variables into one safe pattern', () => {
    expect(interpolateFilter('team-$ns', 'exact', srv)).toEqual({ type: 'regex', pattern: 'team-(?:apps|infra)' });
    expect(interpolateFilter('a.$one', 'exact', srv)).toEqual({ type: 'regex', pattern: 'a\\.apps' });
    expect(interpolateFilter('^$hostile-.*', 'regex', srv)).toEqual({ type: 'regex', pattern: '^(?:\\.\\*|a\\|b)-.*' });
    expect(interpolateFilter('x-$all', 'exact', srv)).toEqual({ type: 'regex', pattern: 'x-.*' });
  });

  it('uses scoped variables (repeated panels)', () => {
    expect(interpolateFilter('$ns', 'exact', srv, { ns: { text: 'infra', value: 'infra' } })).toEqual({
      type: 'oneOf',
      values: ['infra'],
    });
  });

  it("a repeated panel's scoped value beats the dashboard variable's All", () => {
    // Grafana formats a scoped value with the dashboard variable's model, whose current is All.
    expect(interpolateFilter('$all', 'exact', srv, { all: { text: 'a', value: 'a' } })).toEqual({
      type: 'oneOf',
      values: ['a'],
    });
    expect(interpolateFilter('x-${all}', 'exact', srv, { all: { text: 'b', value: 'b' } })).toEqual({
      type: 'regex',
      pattern: 'x-b',
    });
    // A scoped All (a repeat over All itself) is still All.
    expect(interpolateFilter('$all', 'exact', srv, { all: { text: 'All', value: '$__all' } })).toBeUndefined();
  });

  it('leaves unknown variables as typed text', () => {
    expect(interpolateFilter('$nope', 'exact', srv)).toEqual({ type: 'equals', value: '$nope' });
    expect(interpolateFilter('${nope:regex}', 'exact', srv)).toEqual({ type: 'equals', value: '${nope:regex}' });
  });

  it('reads a custom All value as All, though Grafana pastes it without formatting', () => {
    const custom = new FakeTemplateSrv([
      { name: 'team', options: ['payments', 'search'], current: '$__all', allValue: '.*' },
      { name: 'teamPlus', options: ['payments', 'search'], current: '$__all', allValue: 'payments|search' },
    ]);
    expect(interpolateFilter('team-$team', 'exact', custom)).toEqual({ type: 'regex', pattern: 'team-.*' });
    expect(interpolateFilter('$teamPlus', 'exact', custom)).toBeUndefined();
    expect(interpolateFilter('[[teamPlus]]', 'regex', custom)).toBeUndefined();
    expect(interpolateFilter('x-${teamPlus}-$team', 'exact', custom)).toEqual({ type: 'regex', pattern: 'x-.*-.*' });
    expect(interpolateFilter(['apps', '$teamPlus'], 'exact', custom)).toBeUndefined();
    // A scoped value (a repeated panel's) is what it says, custom All or not.
    expect(interpolateFilter('$teamPlus', 'exact', custom, { teamPlus: { text: 'search', value: 'search' } })).toEqual({
      type: 'oneOf',
      values: ['search'],
    });
  });

  it("gives a variable's values as values under an explicit format, which Grafana uses instead of ours", () => {
    expect(interpolateFilter('${ns:regex}', 'exact', srv)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
    expect(interpolateFilter('${ns:pipe}', 'regex', srv)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
    expect(interpolateFilter('[[hostile:regex]]', 'exact', srv)).toEqual({ type: 'oneOf', values: ['.*', 'a|b'] });
    expect(interpolateFilter('team-${ns:regex}', 'exact', srv)).toEqual({
      type: 'regex',
      pattern: 'team-(?:apps|infra)',
    });
    expect(interpolateFilter('${all:csv}', 'exact', srv)).toBeUndefined();
    expect(interpolateFilter('${customAll:regex}', 'exact', srv)).toBeUndefined();
    expect(interpolateFilter('${ns:regex}', 'exact', srv, { ns: { text: 'a.b', value: 'a.b' } })).toEqual({
      type: 'oneOf',
      values: ['a.b'],
    });
  });
});

/**
 * The TemplateSrv of a scenes dashboard (Grafana 12.3+): interpolation is scenes' own
 * `sceneGraph.interpolate`; the variables are listed as Grafana's getVariablesCompatibility lists
 * them (app code, not on npm: name, type, current and allValue are what FluxGrid reads).
 */
function scenesTemplateSrv(scenes: typeof Scenes, variables: Scenes.CustomVariable[]): TemplateSrvLike {
  const scene = new scenes.EmbeddedScene({
    $variables: new scenes.SceneVariableSet({ variables }),
    body: new scenes.SceneFlexLayout({ children: [] }),
  });
  type Format = Parameters<typeof scenes.sceneGraph.interpolate>[3];
  return {
    replace: (target?: string, scopedVars?: ScopedVars, format?: string | Function) =>
      scenes.sceneGraph.interpolate(scene, target, scopedVars, format as Format),
    getVariables: () =>
      variables.map(({ state }) => ({
        name: state.name,
        type: state.type,
        current: { value: state.value, text: state.text },
        multi: state.isMulti,
        includeAll: state.includeAll,
        allValue: state.allValue,
      })) as unknown as TypedVariableModel[],
  };
}

describe("interpolateFilter through scenes' interpolation (@grafana/scenes, as Grafana 12.3+ dashboards)", () => {
  let scenes: TemplateSrvLike;
  beforeAll(async () => {
    // Scenes' LazyLoader makes an IntersectionObserver as it loads.
    fillJsdomGaps();
    const lib = await import('@grafana/scenes');
    const variable = (name: string, values: string[], value: string | string[], allValue?: string) =>
      new lib.CustomVariable({
        name,
        isMulti: true,
        includeAll: true,
        allValue,
        value,
        text: value === '$__all' ? 'All' : value,
        options: values.map((v) => ({ label: v, value: v })),
      });
    scenes = scenesTemplateSrv(lib, [
      variable('ns', ['apps', 'infra', 'flux-system'], ['apps', 'infra']),
      variable('all', ['a', 'b'], '$__all'),
      variable('team', ['payments', 'search'], '$__all', '.*'),
      variable('teamPlus', ['payments', 'search'], ['$__all'], 'payments|search'),
    ]);
  });

  it('reads a custom All value as All', () => {
    // What scenes hands FluxGrid's formatter otherwise: the custom All value, pasted.
    expect(scenes.replace('team-$team, $teamPlus', {}, () => 'formatted')).toBe('team-.*, payments|search');
    expect(interpolateFilter('team-$team', 'exact', scenes)).toEqual({ type: 'regex', pattern: 'team-.*' });
    expect(interpolateFilter('$teamPlus', 'exact', scenes)).toBeUndefined();
    expect(interpolateFilter('${teamPlus}', 'regex', scenes)).toBeUndefined();
    expect(interpolateFilter('${team.value}-x', 'exact', scenes)).toEqual({ type: 'regex', pattern: '.*-x' });
    expect(interpolateFilter('$all', 'exact', scenes)).toBeUndefined();
    expect(interpolateFilter('$ns', 'exact', scenes)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
  });

  it("gives a variable's values as values under an explicit format", () => {
    // What scenes does with one: it formats with it, not with FluxGrid's formatter.
    expect(scenes.replace('${ns:regex} ${ns:pipe}', {}, () => 'formatted')).toBe('(apps|infra) apps|infra');
    expect(interpolateFilter('${ns:regex}', 'exact', scenes)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
    expect(interpolateFilter('${ns:pipe}', 'exact', scenes)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
    expect(interpolateFilter('[[ns:csv]]', 'exact', scenes)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
    expect(interpolateFilter('x-${ns:regex}', 'exact', scenes)).toEqual({ type: 'regex', pattern: 'x-(?:apps|infra)' });
    expect(interpolateFilter('${team:text}', 'exact', scenes)).toBeUndefined();
    expect(interpolateFilter('${all:regex}', 'exact', scenes)).toBeUndefined();
  });
});

describe("interpolateFilter over several entries (the editors' multi-selects)", () => {
  it('asks for any of the values and variables', () => {
    expect(interpolateFilter(['apps', 'infra'], 'exact', srv)).toEqual({ type: 'oneOf', values: ['apps', 'infra'] });
    expect(interpolateFilter(['flux-system', '$ns', 'apps'], 'exact', srv)).toEqual({
      type: 'oneOf',
      values: ['flux-system', 'apps', 'infra'],
    });
    expect(interpolateFilter(['apps'], 'exact', srv)).toEqual({ type: 'equals', value: 'apps' });
  });

  it('is no filter when empty or when one entry is All', () => {
    expect(interpolateFilter([], 'exact', srv)).toBeUndefined();
    expect(interpolateFilter(['apps', '$all'], 'exact', srv)).toBeUndefined();
  });

  it('matches nothing for an empty multi-value alone, and ignores it beside others', () => {
    expect(interpolateFilter(['$empty'], 'exact', srv)).toEqual({ type: 'oneOf', values: [] });
    expect(interpolateFilter(['$empty', 'apps'], 'exact', srv)).toEqual({ type: 'oneOf', values: ['apps'] });
  });

  it('keeps values literal when an entry is a pattern', () => {
    // `team-$one` is a pattern (text and a variable); the other entries stay literal beside it.
    const filter = interpolateFilter(['team-$one', 'a.b', '$hostile', '$empty'], 'exact', srv);
    expect(filter).toEqual({ type: 'regex', pattern: '(?:team-apps)|a\\.b|(?:\\.\\*|a\\|b)|(?:$.^)' });
    const accepts = (value: string) => filterAccepts(filter, value);
    expect(['team-apps', 'a.b', '.*', 'a|b'].every(accepts)).toBe(true);
    expect(['axb', 'team-x', 'a', ''].some(accepts)).toBe(false);
  });
});

describe('filterAccepts', () => {
  it('checks derived values (states) against a filter', () => {
    expect(filterAccepts(undefined, 'Failed')).toBe(true);
    expect(filterAccepts({ type: 'equals', value: 'failed' }, 'Failed', true)).toBe(true);
    expect(filterAccepts({ type: 'oneOf', values: ['Ready', 'Failed'] }, 'Failed')).toBe(true);
    expect(filterAccepts({ type: 'regex', pattern: 'Fail.*' }, 'Failed')).toBe(true);
    expect(filterAccepts({ type: 'regex', pattern: 'Fail' }, 'Failed')).toBe(false);
    expect(filterAccepts({ type: 'regex', pattern: '(' }, 'Failed')).toBe(false);
  });
});
