/** Selectors shared by the editors and their tests. */
export const TEST_IDS = {
  config: {
    clusterLabel: 'fluxgrid-config-cluster-label',
    reasonLabel: 'fluxgrid-config-reason-label',
    kindLabel: 'fluxgrid-config-kind-label',
    namespaceLabel: 'fluxgrid-config-namespace-label',
    nameLabel: 'fluxgrid-config-name-label',
  },
  query: {
    cluster: 'fluxgrid-query-cluster',
    kind: 'fluxgrid-query-kind',
    namespace: 'fluxgrid-query-namespace',
    name: 'fluxgrid-query-name',
    state: 'fluxgrid-query-state',
    limit: 'fluxgrid-query-limit',
  },
  variable: {
    cluster: 'fluxgrid-variable-cluster',
    kind: 'fluxgrid-variable-kind',
    namespace: 'fluxgrid-variable-namespace',
  },
} as const;
