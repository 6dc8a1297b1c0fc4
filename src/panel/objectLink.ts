/**
 * The built-in link of every cell: the object's own dashboard (*Flux object*, which the app ships
 * and provisions), opened on the object and the panel's time range. It sits beside the user's data
 * links; the panel option `objectLink` points it elsewhere or, empty, turns it off.
 *
 * Everything in the URL comes from whoever controls the metrics (names, namespaces, cluster label
 * values) or from a panel option, so the URL is built, not pasted: the target must be a path inside
 * Grafana or an http(s) URL, every value is URL-encoded, and only the parameters named here are set.
 */
import type { ObjectRef } from '../flux';

/** The uid of src/dashboards/flux-object.json. */
export const OBJECT_DASHBOARD_UID = 'fluxgrid-object';

/** Where cells link by default: the app's included dashboard, by uid (the slug is cosmetic). */
export const OBJECT_LINK_DEFAULT = `/d/${OBJECT_DASHBOARD_UID}/flux-object`;

export const OBJECT_LINK_TITLE = 'Flux object dashboard';

/** The object dashboard's variables, in the order they chain. */
const VARIABLES = ['cluster', 'kind', 'namespace', 'name'] as const;

/** A stand-in origin to parse paths with; never part of a result. */
const BASE = 'http://grafana.invalid';

/** The time range parameters Grafana's `${__url_time_range}` gives (`from=now-1h&to=now`). */
export function timeRangeParams(urlTimeRange: string | undefined): Array<[string, string]> {
  if (!urlTimeRange) {
    return [];
  }
  const params = new URLSearchParams(urlTimeRange);
  const out: Array<[string, string]> = [];
  for (const key of ['from', 'to']) {
    const value = params.get(key);
    if (value) {
      out.push([key, value]);
    }
  }
  return out;
}

/** Why a link setting cannot be used, or undefined when it can (empty: turned off). */
export function objectLinkProblem(setting: string | undefined): string | undefined {
  const target = setting?.trim() ?? '';
  if (target === '' || parseTarget(target)) {
    return undefined;
  }
  return `Object dashboard link '${target}' is neither a Grafana path (/d/<uid>/<slug>) nor an http(s) URL, so cells have no object link: correct it under Links (a path starting with a single /, or a URL starting with https://), or empty it to turn the link off.`;
}

function parseTarget(target: string): URL | undefined {
  // `//host/x` and `/\host/x` are other hosts, not paths: judged by the URL a browser resolves.
  let url: URL;
  try {
    url = new URL(target, BASE);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    return undefined;
  }
  if (target.startsWith('/') && url.origin !== BASE) {
    return undefined;
  }
  if (!target.startsWith('/') && !/^https?:\/\//i.test(target)) {
    // A bare `d/uid` or `example.com/x`: where it leads depends on the page; refused.
    return undefined;
  }
  return url;
}

/**
 * The object dashboard URL for one object, or undefined when the link is off or its setting
 * unusable. `setting` undefined or empty: off. The object's identity becomes `var-<name>` (a
 * one-cluster setup has no cluster, so none is set and the dashboard shows All); the target's
 * own query parameters stay unless they name one of ours.
 */
export function objectDashboardUrl(
  setting: string | undefined,
  object: ObjectRef,
  urlTimeRange?: string
): string | undefined {
  const target = setting?.trim() ?? '';
  const url = target ? parseTarget(target) : undefined;
  if (!url) {
    return undefined;
  }
  const ours = new Set<string>(['from', 'to', ...VARIABLES.map((v) => `var-${v}`)]);
  const params: Array<[string, string]> = [];
  url.searchParams.forEach((value, key) => {
    if (!ours.has(key)) {
      params.push([key, value]);
    }
  });
  for (const variable of VARIABLES) {
    const value = identityValue(object, variable);
    if (value !== '') {
      params.push([`var-${variable}`, value]);
    }
  }
  params.push(...timeRangeParams(urlTimeRange));
  const query = params.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  const base = target.startsWith('/') ? url.pathname : `${url.origin}${url.pathname}`;
  return `${base}${query ? `?${query}` : ''}${url.hash}`;
}

/** The object's own field (never its prototype's), as a string. */
function identityValue(object: ObjectRef, key: (typeof VARIABLES)[number]): string {
  const value: unknown = Object.hasOwn(object, key) ? object[key] : undefined;
  return typeof value === 'string' ? value : '';
}
