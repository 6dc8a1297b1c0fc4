/** Stands for a @grafana/runtime internal module this Grafana line does not have (see internals.d.ts). */
export {};
