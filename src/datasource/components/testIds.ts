/** Selectors shared by the editors and their tests. */
export const TEST_IDS = {
  config: {
    prometheus: 'fluxgrid-config-prometheus',
    advanced: 'fluxgrid-config-advanced',
    timeout: 'fluxgrid-config-timeout',
    recordingRules: 'fluxgrid-config-recording-rules',
    clusterLabel: 'fluxgrid-config-cluster-label',
    reasonLabel: 'fluxgrid-config-reason-label',
    kindLabel: 'fluxgrid-config-kind-label',
    namespaceLabel: 'fluxgrid-config-namespace-label',
    nameLabel: 'fluxgrid-config-name-label',
  },
  query: {
    queryType: 'fluxgrid-query-type',
    cluster: 'fluxgrid-query-cluster',
    kind: 'fluxgrid-query-kind',
    namespace: 'fluxgrid-query-namespace',
    name: 'fluxgrid-query-name',
    state: 'fluxgrid-query-state',
    limit: 'fluxgrid-query-limit',
    promqlToggle: 'fluxgrid-query-promql-toggle',
    promql: 'fluxgrid-query-promql',
  },
  variable: {
    target: 'fluxgrid-variable-target',
    cluster: 'fluxgrid-variable-cluster',
    kind: 'fluxgrid-variable-kind',
    namespace: 'fluxgrid-variable-namespace',
    name: 'fluxgrid-variable-name',
  },
} as const;
