/**
 * `npm run preview` (scripts/preview.ts) opens this page with `?preview`: the shipped Flux
 * reconciliation dashboard, run by @grafana/scenes, over the FluxGrid datasource and Grafana's
 * Prometheus datasource, fed live by the fleet simulator through a real Prometheus. It is a
 * preview of the plugin in this repository's test host, not Grafana: the banner says so.
 */
import { createRoot } from 'react-dom/client';
import React from 'react';

import type { FluxgridHostApi } from './api';

function Banner({ health }: { health?: { status: string; message: string } }) {
  return (
    <div
      data-testid="preview-banner"
      style={{ font: '13px sans-serif', padding: '8px 16px', background: '#fff3cd', color: '#332701' }}
    >
      <b>FluxGrid preview — not Grafana.</b> The FluxGrid panel and datasource from <code>dist/</code> on the shipped
      &quot;Flux reconciliation&quot; dashboard, run by Grafana&apos;s own dashboard runtime (@grafana/scenes) and
      Prometheus datasource in a small test host, with a simulated Flux fleet scraped by a real Prometheus.
      Grafana&apos;s core panels (stat, table, state timeline) are not on npm: their boxes list what their queries
      returned. Use <code>docker compose up</code> for the real Grafana.
      <div data-testid="preview-health">
        FluxGrid datasource, Save &amp; test:{' '}
        {health ? `${health.status === 'success' ? '✔' : '✖'} ${health.message}` : 'checking…'}
      </div>
    </div>
  );
}

export async function bootPreview(api: FluxgridHostApi, params: URLSearchParams): Promise<void> {
  const bannerRoot = document.createElement('div');
  document.body.prepend(bannerRoot);
  const banner = createRoot(bannerRoot);
  banner.render(<Banner />);
  document.title = 'FluxGrid preview (not Grafana)';
  await api.setupDatasources();
  await api.openDashboard({
    dashboard: '/dashboards/flux-reconciliation.json',
    theme: params.get('theme') === 'light' ? 'light' : 'dark',
    refresh: params.get('refresh') ?? '10s',
    timeRange: { from: params.get('from') ?? 'now-15m', to: params.get('to') ?? 'now' },
    width: Math.max(800, window.innerWidth - 32),
  });
  const check = async () => {
    const health = await api.testDatasource('fluxgrid').catch((e: Error) => ({ status: 'error', message: e.message }));
    banner.render(<Banner health={health} />);
  };
  await check();
  // Until the simulator's first scrapes are in, Save & test says there is nothing yet.
  const timer = setInterval(check, 15_000);
  window.addEventListener('pagehide', () => clearInterval(timer));
}
