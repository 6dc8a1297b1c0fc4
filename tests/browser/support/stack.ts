/**
 * The common beforeAll of the browser tests that query a fleet: the host page in Chromium, a real
 * Prometheus holding the fleet's history, and the Go backend stand-in in front of it, which the
 * page's Grafana Prometheus datasource talks to.
 */
import { startGrafanaBackend, type GrafanaBackend } from '../../harness/grafana-backend';
import { startPrometheus, type PrometheusServer } from '../../harness/prometheus';
import { setupHost, type HostPage, type HostSetup } from './host';

export interface BrowserStack {
  setup: HostSetup;
  host: HostPage;
  prometheus: PrometheusServer;
  backend: GrafanaBackend;
  /** Stops all three (safe to call once from afterAll). */
  close(): Promise<void>;
}

export async function startBrowserStack(options: {
  modules: string[];
  viewport: { width: number; height: number };
  /** The fleet's history, as the simulator writes it. */
  openMetrics: string;
}): Promise<BrowserStack> {
  // Chromium and Prometheus start together; whatever started is stopped again when the other failed.
  const [setup, prometheus] = await Promise.allSettled([
    setupHost({ modules: options.modules, viewport: options.viewport }),
    startPrometheus({ openMetrics: options.openMetrics, timeoutMs: 120_000 }),
  ]);
  if (setup.status === 'rejected') {
    await (prometheus.status === 'fulfilled' ? prometheus.value.stop() : undefined);
    throw setup.reason;
  }
  if (prometheus.status === 'rejected') {
    await setup.value.close();
    throw prometheus.reason;
  }
  let backend: GrafanaBackend;
  try {
    backend = await startGrafanaBackend({ prometheusUrl: prometheus.value.url, datasourceUid: 'prometheus' });
  } catch (error) {
    await setup.value.close();
    await prometheus.value.stop();
    throw error;
  }
  setup.value.server.setBackend(backend.url);
  return {
    setup: setup.value,
    host: setup.value.host,
    prometheus: prometheus.value,
    backend,
    async close() {
      await setup.value.close();
      await backend.close();
      await prometheus.value.stop();
    },
  };
}
