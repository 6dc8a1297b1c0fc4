import {
  DataLink,
  Field,
  GrafanaConfig,
  InterpolateFunction,
  LinkModel,
  locationUtil,
  ScopedVars,
} from '@grafana/data';
import { config, locationService } from '@grafana/runtime';

import { fluxObject } from '../flux/testing/frames';
import {
  buildObjectLinks,
  handlesClick,
  linkDestination,
  LinkNavigation,
  objectLinkFrame,
  openObjectLink,
} from './links';
import { OBJECT_LINK_DEFAULT } from './objectLink';

/**
 * A small stand-in for Grafana's interpolation: resolves ${__flux.x}, ${__data.fields.x} and
 * ${__field.labels.x} the way the dashboard's template service does (from the scoped vars and the
 * data context getLinksSupplier adds), URI-encoding when asked to.
 */
const interpolate: InterpolateFunction = (text: string, scopedVars?: ScopedVars, format?: string | Function) =>
  text.replace(/\$\{([^}]+)\}/g, (match, path: string) => {
    const [root, ...rest] = path.split('.');
    let value: unknown;
    if (root === '__flux') {
      value = (scopedVars?.__flux?.value as Record<string, string>)[rest[0]];
    } else if (root === '__data' && rest[0] === 'fields') {
      const context = scopedVars!.__dataContext!.value;
      const field = context.frame.fields.find((f: { name: string }) => f.name === rest[1]);
      value = field?.values[context.rowIndex ?? 0];
    } else if (root === '__field' && rest[0] === 'labels') {
      value = scopedVars!.__dataContext!.value.field.labels?.[rest[1]];
    } else {
      return match;
    }
    const text = String(value ?? '');
    return format === 'uriencode' ? encodeURIComponent(text) : text;
  });

const object = fluxObject({
  kind: 'Kustomization',
  namespace: 'flux-system',
  name: 'apps',
  cluster: 'prod',
  state: 'Failed',
  labels: { exported_namespace: 'flux-system', name: 'apps', team: 'payments' },
});

describe('buildObjectLinks', () => {
  it('returns nothing without configured links', () => {
    expect(buildObjectLinks(object, undefined, interpolate)).toEqual([]);
  });

  it('fills in the object through __flux, __data.fields and __field.labels, encoded', () => {
    const links: DataLink[] = [
      {
        title: 'Flux UI for ${__flux.name}',
        url: 'https://flux.example/${__flux.cluster}/${__data.fields.kind}/${__data.fields.namespace}/${__flux.name}?team=${__field.labels.team}',
        targetBlank: true,
      },
    ];
    const [link] = buildObjectLinks(object, links, interpolate);
    expect(link.title).toBe('Flux UI for apps');
    expect(link.href).toBe('https://flux.example/prod/Kustomization/flux-system/apps?team=payments');
    expect(link.target).toBe('_blank');
  });

  it('encodes hostile label values and drops javascript: URLs', () => {
    const hostile = fluxObject({ name: 'x"><script>alert(1)</script>/../../admin' });
    const [encoded] = buildObjectLinks(
      hostile,
      [{ title: 'go', url: 'https://flux.example/${__flux.name}' }],
      interpolate
    );
    expect(encoded.href).toBe(`https://flux.example/${encodeURIComponent(hostile.name)}`);
    // A value cannot become a scheme: Grafana URI-encodes it…
    const script = fluxObject({ name: 'javascript:alert(1)' });
    expect(buildObjectLinks(script, [{ title: 'go', url: '${__flux.name}' }], interpolate)[0].href).toBe(
      'javascript%3Aalert(1)'
    );
    // …and a javascript: URL that survives interpolation is dropped by sanitizeUrl.
    expect(buildObjectLinks(object, [{ title: 'go', url: 'javascript:alert(document.cookie)' }], interpolate)).toEqual(
      []
    );
  });

  it('describes the object as a one-row frame', () => {
    const { frame, linkField } = objectLinkFrame(object, []);
    expect(frame.fields.map((f) => f.name)).toEqual([
      'kind',
      'namespace',
      'name',
      'cluster',
      'state',
      'reason',
      'revision',
      'source',
    ]);
    expect(linkField.labels).toEqual(object.labels);
    expect(linkField.values[0]).toBe('Failed');
  });
});

describe('following a link', () => {
  const origin = window.location.origin;
  const link = (href: string, target?: LinkModel<Field>['target']): LinkModel<Field> => ({
    href,
    title: 'logs',
    target: target ?? '_self',
    origin: {} as Field,
  });
  /** Grafana's own router, and a record of what the browser would be asked to load. */
  const navigation = () => {
    const calls = { assign: [] as string[], open: [] as string[] };
    const nav: LinkNavigation = {
      push: (path) => locationService.push(path),
      assign: (href) => calls.assign.push(href),
      open: (href) => calls.open.push(href),
    };
    return { nav, calls };
  };

  it('tells in-app paths from other hosts by the URL the browser resolves', () => {
    expect(linkDestination('/d/abc/flux?var-cluster=prod#panel-4', origin)).toEqual({
      kind: 'app',
      path: '/d/abc/flux?var-cluster=prod#panel-4',
    });
    for (const href of ['//evil.example/x', '/\\evil.example/x', '/\t/evil.example/x', 'https://evil.example/x']) {
      expect(linkDestination(href, origin)).toEqual({ kind: 'browser' });
    }
  });

  it('hands protocol-relative and backslash links to the browser instead of the router (no SecurityError)', () => {
    const push = jest.spyOn(locationService, 'push');
    for (const href of ['//evil.example/x', '/\\evil.example/x']) {
      const { nav, calls } = navigation();
      expect(() => openObjectLink(link(href), undefined, nav)).not.toThrow();
      expect(calls.assign).toEqual([href]);
      expect(handlesClick(link(href))).toBe(false);
    }
    expect(push).not.toHaveBeenCalled();
    push.mockRestore();
  });

  describe('under a sub path (Grafana served at /grafana)', () => {
    // Grafana initialises locationUtil with its boot config (@grafana/runtime's `config`) at
    // startup. That class types some fields looser than @grafana/data's GrafanaConfig (optional,
    // or missing): hence the one cast, of the real object.
    const bootConfig = config as unknown as GrafanaConfig;
    const serveAt = (appSubUrl: string) =>
      locationUtil.initialize({
        config: { ...bootConfig, appSubUrl },
        getTimeRangeForUrl: () => ({ from: 'now-6h', to: 'now' }),
        getVariablesUrlParams: () => ({}),
      });
    beforeEach(() => serveAt('/grafana'));
    afterEach(() => serveAt(config.appSubUrl));

    it('gives the built-in link the sub path, as Grafana gives the data links; a click strips it for the router', () => {
      const [user, builtIn] = buildObjectLinks(
        fluxObject({ kind: 'K', namespace: 'a', name: 'p' }),
        [{ title: 'u', url: '/d/mine/x' }],
        (text) => text,
        OBJECT_LINK_DEFAULT
      );
      // What a new tab, a middle click or "copy link" gets: the URL this Grafana serves.
      expect(user.href).toBe('/grafana/d/mine/x');
      expect(builtIn.href).toBe('/grafana/d/fluxgrid-object/flux-object?var-kind=K&var-namespace=a&var-name=p');
      // A plain click: Grafana's router, which adds the sub path itself.
      const calls: string[] = [];
      const nav: LinkNavigation = {
        push: (path) => calls.push(`push ${path}`),
        assign: (href) => calls.push(`assign ${href}`),
        open: (href) => calls.push(`open ${href}`),
      };
      for (const link of [user, builtIn]) {
        expect(handlesClick(link)).toBe(true);
        openObjectLink(link, undefined, nav);
      }
      expect(calls).toEqual([
        'push /d/mine/x',
        'push /d/fluxgrid-object/flux-object?var-kind=K&var-namespace=a&var-name=p',
      ]);
    });
  });

  it("follows in-app paths with Grafana's router and new-tab links in a new window", () => {
    const { nav, calls } = navigation();
    openObjectLink(link('/d/abc/flux?var-cluster=prod'), undefined, nav);
    expect(locationService.getLocation().pathname).toBe('/d/abc/flux');
    expect(locationService.getSearchObject()).toMatchObject({ 'var-cluster': 'prod' });
    expect(handlesClick(link('/d/abc'))).toBe(true);
    openObjectLink(link('/d/abc', '_blank'), undefined, nav);
    expect(calls.open).toEqual(['/d/abc']);
    expect(calls.assign).toEqual([]);
  });
});
