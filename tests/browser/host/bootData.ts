/**
 * Must be the host's FIRST import: @grafana/runtime builds its `config` singleton from
 * `window.grafanaBootData` when the module is evaluated (Grafana's index.html inlines this object).
 *
 * MOCKED (needs a Grafana server): the real boot data comes from the server's index template.
 * We give the minimum a frontend needs: user theme, settings with no datasources/panels, and no
 * feature toggles. Everything else in `config` keeps @grafana/runtime's own defaults.
 */
const params = new URLSearchParams(window.location.search);
const theme = params.get('theme') === 'light' ? 'light' : 'dark';

(window as any).grafanaBootData = {
  assets: { dark: '', light: '' },
  settings: {
    appUrl: `${window.location.origin}/`,
    appSubUrl: '',
    buildInfo: {
      version: __FLUXGRID_GRAFANA_VERSION__,
      commit: 'browser-host',
      env: 'production',
      edition: 'Open Source',
    },
    datasources: {},
    panels: {},
    apps: {},
    featureToggles: {},
    bootData: undefined,
  },
  user: { theme, timezone: 'utc', locale: 'en-US', language: 'en-US', orgId: 1, isSignedIn: true },
  navTree: [],
};

export {};
