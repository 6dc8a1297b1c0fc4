import { DataLink, InterpolateFunction, ScopedVars } from '@grafana/data';

import { fluxObject } from '../flux/testing/frames';
import { buildObjectLinks, objectLinkFrame } from './links';

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
