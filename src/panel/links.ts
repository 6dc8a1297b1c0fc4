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
import { OBJECT_LINK_TITLE, objectDashboardUrl } from './objectLink';

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

/**
 * The user's data links, then the built-in link to the object dashboard (objectLink.ts) when the
 * panel's `objectLink` option is set (undefined or empty: none).
 */
export function buildObjectLinks(
  object: FluxObject,
  links: DataLink[] | undefined,
  replaceVariables: InterpolateFunction,
  objectLink?: string
): Array<LinkModel<Field>> {
  const { frame, linkField } = objectLinkFrame(object, links ?? []);
  const own = links?.length ? userLinks(frame, linkField, object, replaceVariables) : [];
  // Grafana's macro for the panel's time range as URL parameters (what "Include time range" adds).
  const href = objectLink?.trim()
    ? objectDashboardUrl(objectLink, object, replaceVariables('${__url_time_range}'))
    : undefined;
  // A path gets Grafana's sub path (appSubUrl), as getLinksSupplier gives the user's links, so a
  // new tab or a copied link works too; a click strips it again (linkDestination).
  const sanitized = href === undefined ? '' : textUtil.sanitizeUrl(locationUtil.assureBaseUrl(href));
  if (sanitized === '' || sanitized === 'about:blank') {
    return own;
  }
  return [...own, { href: sanitized, title: OBJECT_LINK_TITLE, target: '_self', origin: linkField }];
}

function userLinks(
  frame: DataFrame,
  linkField: Field,
  object: FluxObject,
  replaceVariables: InterpolateFunction
): Array<LinkModel<Field>> {
  const supplier = getLinksSupplier(frame, linkField, objectScopedVars(object), replaceVariables);
  return supplier({ valueRowIndex: 0 })
    .map((link) => ({ ...link, href: textUtil.sanitizeUrl(link.href) }))
    .filter((link) => link.onClick !== undefined || (link.href !== '' && link.href !== 'about:blank'));
}

/**
 * Where a link leads: a path inside this Grafana (followed by Grafana's router, without reloading
 * the app) or anywhere else (followed by the browser). Decided by the URL the browser would
 * resolve, not by a leading "/": `//host/x` and `/\host/x` are other hosts, and pushing them into
 * the router's history throws a SecurityError.
 */
export function linkDestination(
  href: string,
  origin: string = window.location.origin
): { kind: 'app'; path: string } | { kind: 'browser' } {
  if (!href.startsWith('/')) {
    return { kind: 'browser' };
  }
  let url: URL;
  try {
    url = new URL(href, origin);
  } catch {
    return { kind: 'browser' };
  }
  if (url.origin !== origin) {
    return { kind: 'browser' };
  }
  return { kind: 'app', path: locationUtil.stripBaseFromUrl(url.pathname + url.search + url.hash) };
}

/** How a link is followed; Grafana's router and the window unless a test says otherwise. */
export interface LinkNavigation {
  push: (path: string) => void;
  assign: (href: string) => void;
  open: (href: string) => void;
}

const grafanaNavigation: LinkNavigation = {
  push: (path) => locationService.push(path),
  assign: (href) => {
    window.location.href = href;
  },
  open: (href) => window.open(href, '_blank', 'noopener,noreferrer'),
};

/** True when clicking the link's <a> must be taken over (Grafana's router or the link's own handler). */
export function handlesClick(link: LinkModel<Field>): boolean {
  return link.onClick !== undefined || (link.target !== '_blank' && linkDestination(link.href).kind === 'app');
}

/** Follows a link the way Grafana does: in-app paths through the router, others by the browser. */
export function openObjectLink(
  link: LinkModel<Field>,
  event?: Pick<MouseEvent, 'preventDefault'>,
  navigation: LinkNavigation = grafanaNavigation
) {
  if (link.onClick) {
    link.onClick(event as any);
    return;
  }
  if (link.target === '_blank') {
    navigation.open(link.href);
    return;
  }
  const destination = linkDestination(link.href);
  if (destination.kind === 'app') {
    navigation.push(destination.path);
    return;
  }
  navigation.assign(link.href);
}
