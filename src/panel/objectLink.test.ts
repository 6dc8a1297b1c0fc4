import fs from 'fs';
import path from 'path';

import { fluxObject } from '../flux/testing/frames';
import { buildObjectLinks, linkDestination } from './links';
import {
  OBJECT_DASHBOARD_UID,
  OBJECT_LINK_DEFAULT,
  objectDashboardUrl,
  objectLinkProblem,
  timeRangeParams,
} from './objectLink';

const object = fluxObject({ cluster: 'prod', kind: 'Kustomization', namespace: 'apps', name: 'podinfo' });

/** The query of a built URL, decoded, in order. */
function paramsOf(url: string): Array<[string, string]> {
  return Array.from(new URL(url, 'http://x.invalid').searchParams.entries());
}

describe('objectDashboardUrl', () => {
  it('opens the shipped Flux object dashboard by uid, on the object and the time range', () => {
    const url = objectDashboardUrl(OBJECT_LINK_DEFAULT, object, 'from=now-6h&to=now')!;
    expect(url).toBe(
      '/d/fluxgrid-object/flux-object?var-cluster=prod&var-kind=Kustomization&var-namespace=apps&var-name=podinfo&from=now-6h&to=now'
    );
  });

  it('the default names the uid of src/dashboards/flux-object.json', () => {
    const file = path.join(__dirname, '..', 'dashboards', 'flux-object.json');
    expect(JSON.parse(fs.readFileSync(file, 'utf8')).uid).toBe(OBJECT_DASHBOARD_UID);
    expect(OBJECT_LINK_DEFAULT.startsWith(`/d/${OBJECT_DASHBOARD_UID}/`)).toBe(true);
  });

  it('sets no cluster for a one-cluster setup (the dashboard shows All), and no range when there is none', () => {
    const url = objectDashboardUrl(OBJECT_LINK_DEFAULT, { ...object, cluster: '' })!;
    expect(paramsOf(url).map(([k]) => k)).toEqual(['var-kind', 'var-namespace', 'var-name']);
  });

  it('URL-encodes hostile values: they stay values, never become parameters, paths or fragments', () => {
    const hostile = fluxObject({
      cluster: 'eu&from=0#x',
      kind: 'Kustomization',
      namespace: 'a/../../admin',
      name: 'x"><script>alert(1)</script>?var-kind=Evil',
    });
    const url = objectDashboardUrl(OBJECT_LINK_DEFAULT, hostile, 'from=now-1h&to=now')!;
    expect(url.startsWith('/d/fluxgrid-object/flux-object?')).toBe(true);
    expect(url).not.toMatch(/[<>"#]/);
    expect(paramsOf(url)).toEqual([
      ['var-cluster', 'eu&from=0#x'],
      ['var-kind', 'Kustomization'],
      ['var-namespace', 'a/../../admin'],
      ['var-name', 'x"><script>alert(1)</script>?var-kind=Evil'],
      ['from', 'now-1h'],
      ['to', 'now'],
    ]);
  });

  it('never reads identity fields through the prototype', () => {
    const bare = Object.create({ cluster: 'inherited', kind: 'Inherited' });
    Object.assign(bare, { namespace: 'apps', name: 'podinfo' });
    const url = objectDashboardUrl(OBJECT_LINK_DEFAULT, bare)!;
    expect(paramsOf(url)).toEqual([
      ['var-namespace', 'apps'],
      ['var-name', 'podinfo'],
    ]);
  });

  it('points elsewhere: another dashboard path or an http(s) URL, keeping its own parameters but not ours', () => {
    expect(objectDashboardUrl('/d/mine/my-flux?orgId=2&var-name=old', object)).toBe(
      '/d/mine/my-flux?orgId=2&var-cluster=prod&var-kind=Kustomization&var-namespace=apps&var-name=podinfo'
    );
    expect(objectDashboardUrl(' https://grafana.example/d/x/y#panel-2 ', object, 'from=1&to=2')).toBe(
      'https://grafana.example/d/x/y?var-cluster=prod&var-kind=Kustomization&var-namespace=apps&var-name=podinfo&from=1&to=2#panel-2'
    );
  });

  it('is off when empty, and refuses targets that are not a Grafana path or an http(s) URL', () => {
    for (const off of [undefined, '', '   ']) {
      expect(objectDashboardUrl(off, object)).toBeUndefined();
      expect(objectLinkProblem(off)).toBeUndefined();
    }
    for (const bad of [
      'javascript:alert(1)',
      'data:text/html,x',
      '//evil.example/d/x',
      '/\\evil.example/x',
      'd/uid/slug',
      'evil.example/x',
    ]) {
      expect({ bad, url: objectDashboardUrl(bad, object) }).toEqual({ bad, url: undefined });
      expect(objectLinkProblem(bad)).toContain('neither a Grafana path');
    }
    expect(objectLinkProblem(OBJECT_LINK_DEFAULT)).toBeUndefined();
  });
});

describe('timeRangeParams', () => {
  it("keeps only from and to of Grafana's ${__url_time_range}", () => {
    expect(timeRangeParams('from=now-1h&to=now&timezone=utc')).toEqual([
      ['from', 'now-1h'],
      ['to', 'now'],
    ]);
    expect(timeRangeParams('')).toEqual([]);
    expect(timeRangeParams(undefined)).toEqual([]);
    // An uninterpolated macro (no time range known) gives none.
    expect(timeRangeParams('${__url_time_range}')).toEqual([]);
  });
});

describe('buildObjectLinks with the built-in link', () => {
  // Grafana's replaceVariables, as far as these links use it: the time range macro.
  const interpolate = (text: string) => text.replace('${__url_time_range}', 'from=now-6h&to=now');

  it("comes after the user's data links, carrying the object and the time range, in this Grafana", () => {
    const links = buildObjectLinks(
      object,
      [{ title: 'Flux UI', url: 'https://flux.example/${__flux.name}' }],
      interpolate,
      OBJECT_LINK_DEFAULT
    );
    expect(links.map((l) => l.title)).toEqual(['Flux UI', 'Flux object dashboard']);
    expect(links[1].href).toBe(
      '/d/fluxgrid-object/flux-object?var-cluster=prod&var-kind=Kustomization&var-namespace=apps&var-name=podinfo&from=now-6h&to=now'
    );
    expect(links[1].target).toBe('_self');
    expect(linkDestination(links[1].href, 'http://localhost:3000')).toEqual({
      kind: 'app',
      path: links[1].href,
    });
  });

  it('is the only link when the user has none, and absent when turned off or unusable', () => {
    expect(buildObjectLinks(object, undefined, interpolate, OBJECT_LINK_DEFAULT).map((l) => l.title)).toEqual([
      'Flux object dashboard',
    ]);
    expect(buildObjectLinks(object, undefined, interpolate, '')).toEqual([]);
    expect(buildObjectLinks(object, undefined, interpolate)).toEqual([]);
    expect(buildObjectLinks(object, undefined, interpolate, 'javascript:alert(1)')).toEqual([]);
  });
});
