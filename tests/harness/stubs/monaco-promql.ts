/**
 * jest stand-in for `monaco-promql` (ESM only): only the Prometheus datasource's Monaco query
 * field imports it, to register the PromQL language with a Monaco editor that tests never open.
 */
export const promLanguageDefinition = { id: 'promql', extensions: ['.promql'], aliases: ['PromQL'], mimetypes: [] };
