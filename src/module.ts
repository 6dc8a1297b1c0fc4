import { AppPlugin } from '@grafana/data';

/**
 * FluxGrid's app is headless: it has no pages. It exists to bundle the status panel, the Flux
 * datasource and the dashboards as one installable plugin.
 */
export const plugin = new AppPlugin<{}>();
