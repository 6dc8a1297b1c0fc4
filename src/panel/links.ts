/**
 * Data links for one Flux object, built with Grafana's own link machinery so the panel's "Data
 * links" editor works unchanged.
 *
 * The panel turns the object into a one-row frame and runs the links configured in the panel's
 * field config (Standard options > Data links) through `getLinksSupplier`. A link URL can use:
 *
 *   ${__data.fields.kind}  ${__data.fields.namespace}  ${__data.fields.name}  ${__data.fields.cluster}
 *   ${__data.fields.state} ${__data.fields.reason}     ${__data.fields.revision} ${__data.fields.source}
 *   ${__field.labels.<label>}   any label of the series that decided the state (e.g. exported_namespace)
 *   ${__value.raw}              the state
 *   ${__flux.kind} ${__flux.namespace} ${__flux.name} ${__flux.cluster} …  the same values, shorter
 *   dashboard variables and ${__url_time_range} as in any Grafana link
 *
 * Grafana URI-encodes interpolated values; the resulting href is then passed through
 * textUtil.sanitizeUrl because label values come from whoever controls the metrics.
 */
import {
  DataFrame,
  DataLink,
  Field,
  FieldType,
  getLinksSupplier,
  InterpolateFunction,
  LinkModel,
  locationUtil,
  ScopedVars,
  textUtil,
} from '@grafana/data';
import { locationService } from '@grafana/runtime';

import type { FluxObject } from '../flux';
import { objectTitle } from './describe';

/** The per-object values offered to links, by field name. */
export function objectLinkValues(object: FluxObject): Record<string, string> {
  return {
    kind: object.kind,
    namespace: object.namespace,
    name: object.name,
    cluster: object.cluster,
    state: object.state,
    reason: object.reason ?? '',
    revision: object.revision ?? '',
    source: object.source ?? '',
  };
}

export function objectScopedVars(object: FluxObject): ScopedVars {
  return { __flux: { text: objectTitle(object), value: objectLinkValues(object) } };
}

/** A one-row frame describing the object; the `state` field carries the links and the labels. */
export function objectLinkFrame(object: FluxObject, links: DataLink[]): { frame: DataFrame; linkField: Field } {
  const values = objectLinkValues(object);
  const fields: Field[] = Object.entries(values).map(([name, value]) => ({
    name,
    type: FieldType.string,
    config: name === 'state' ? { links } : {},
    values: [value],
    ...(name === 'state' ? { labels: { ...object.labels } } : {}),
  }));
  const frame: DataFrame = { name: objectTitle(object), fields, length: 1 };
  return { frame, linkField: fields.find((field) => field.name === 'state')! };
}

export function buildObjectLinks(
  object: FluxObject,
  links: DataLink[] | undefined,
  replaceVariables: InterpolateFunction
): Array<LinkModel<Field>> {
  if (!links || links.length === 0) {
    return [];
  }
  const { frame, linkField } = objectLinkFrame(object, links);
  const supplier = getLinksSupplier(frame, linkField, objectScopedVars(object), replaceVariables);
  return supplier({ valueRowIndex: 0 })
    .map((link) => ({ ...link, href: textUtil.sanitizeUrl(link.href) }))
    .filter((link) => link.onClick !== undefined || (link.href !== '' && link.href !== 'about:blank'));
}

/** Follows a link the way Grafana does: in-app paths through the router, others by the browser. */
export function openObjectLink(link: LinkModel<Field>, event?: Pick<MouseEvent, 'preventDefault'>) {
  if (link.onClick) {
    link.onClick(event as any);
    return;
  }
  if (link.target === '_blank') {
    window.open(link.href, '_blank', 'noopener,noreferrer');
    return;
  }
  if (link.href.startsWith('/')) {
    locationService.push(locationUtil.stripBaseFromUrl(link.href));
    return;
  }
  window.location.href = link.href;
}
