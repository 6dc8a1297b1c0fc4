/** Builds the simulated fleet: deterministic objects from a FleetSpec. */
import { objectKey as coreObjectKey } from '../src/flux/labels';
import { FLUX_KINDS, type FluxKind } from './kinds';
import { hashString, seededRandom } from './random';
import type { ChartSource, FleetSpec, ObjectSelector, SimObject } from './types';

/** The object key: exactly the core's `FluxObject.key` (src/flux/labels.ts), cluster '' for single-cluster data. */
export function objectKey(cluster: string, kind: string, namespace: string, name: string): string {
  return coreObjectKey({ cluster, kind, namespace, name });
}

const APP_WORDS = [
  'podinfo',
  'frontend',
  'backend',
  'checkout',
  'payments',
  'catalog',
  'search',
  'billing',
  'auth',
  'gateway',
  'ingress-nginx',
  'cert-manager',
  'external-dns',
  'redis',
  'postgres',
  'kafka',
  'grafana',
  'loki',
  'tempo',
  'prometheus',
  'vault',
  'harbor',
  'keycloak',
  'minio',
  'rabbitmq',
  'nats',
  'traefik',
  'istio',
  'linkerd',
  'kyverno',
  'velero',
  'argo-rollouts',
  'metrics-server',
  'cluster-autoscaler',
  'weave-gitops',
  'sealed-secrets',
];

const KIND_PREFIX: Partial<Record<FluxKind, string>> = {
  GitRepository: 'git',
  OCIRepository: 'oci',
  HelmRepository: 'charts',
  Bucket: 'bucket',
  Alert: 'alert',
  Provider: 'slack',
  Receiver: 'webhook',
  ImageRepository: 'img',
  ImagePolicy: 'policy',
  ImageUpdateAutomation: 'auto',
  ExternalArtifact: 'artifact',
  ArtifactGenerator: 'gen',
};

/** Every object of the fleet: named objects first, then generated ones, per cluster, in kind order. */
export function buildFleet(spec: FleetSpec): SimObject[] {
  const objects: SimObject[] = [];
  const seen = new Set<string>();
  const nextSuffix = new Map<string, number>();
  const add = (cluster: string, kind: FluxKind, namespace: string, name: string, chartSource?: ChartSource) => {
    const key = objectKey(cluster, kind, namespace, name);
    if (seen.has(key)) {
      return false;
    }
    seen.add(key);
    objects.push({
      key,
      cluster,
      kind,
      namespace,
      name,
      index: objects.length,
      uid: uidFor(spec.seed, key),
      ...(chartSource ? { chartSource } : {}),
    });
    return true;
  };
  for (const cluster of spec.clusters) {
    for (const named of spec.named) {
      if (named.cluster === undefined || named.cluster === cluster) {
        add(cluster, named.kind, named.namespace, named.name, named.chartSource);
      }
    }
    // Same seed per cluster: clusters fed from one Git repository share names, as in real fleets.
    const random = seededRandom(spec.seed);
    for (const kind of FLUX_KINDS) {
      const count = spec.objects[kind] ?? 0;
      for (let i = 0; i < count; i++) {
        const namespace = spec.namespaces[i % spec.namespaces.length];
        const word = APP_WORDS[Math.floor(random() * APP_WORDS.length)];
        const base = KIND_PREFIX[kind] ? `${KIND_PREFIX[kind]}-${word}` : word;
        const counterKey = objectKey(cluster, kind, namespace, base);
        let attempt = nextSuffix.get(counterKey) ?? 1;
        while (!add(cluster, kind, namespace, attempt === 1 ? base : `${base}-${attempt}`)) {
          attempt++;
        }
        nextSuffix.set(counterKey, attempt + 1);
      }
    }
  }
  return objects;
}

function uidFor(seed: number, key: string): string {
  // Four independent 32-bit hashes: unique across 50,000 objects (one 32-bit seed would collide).
  const hex = [0, 1, 2, 3].map((n) => hashString(`${n}#${seed}/${key}`).toString(16).padStart(8, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** Objects matching every field the selector gives, in fleet order (first `count` only when set). */
export function selectObjects(objects: readonly SimObject[], selector: ObjectSelector): SimObject[] {
  const matches = objects.filter(
    (o) =>
      (selector.cluster === undefined || o.cluster === selector.cluster) &&
      (selector.kind === undefined || o.kind === selector.kind) &&
      (selector.namespace === undefined || o.namespace === selector.namespace) &&
      (selector.name === undefined || o.name === selector.name)
  );
  return selector.count === undefined ? matches : matches.slice(0, selector.count);
}

/** A stable small integer per object, e.g. to spread reconcile phases. */
export function objectHash(object: SimObject): number {
  return hashString(object.key);
}
