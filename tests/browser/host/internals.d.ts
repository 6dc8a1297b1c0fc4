/**
 * @grafana/runtime 13 keeps setPanelDataErrorView out of its package exports (Grafana's app imports
 * it from source). scripts/build-browser-host.mjs aliases this name to the installed file, so the
 * host sets the same module-level variable the public PanelDataErrorView export reads.
 */
declare module 'grafana-runtime-internal/PanelDataErrorView' {
  import type { ComponentType } from 'react';
  export function setPanelDataErrorView(view: ComponentType<{ message?: string }>): void;
}
