/**
 * Save & test: is there a Prometheus, does it have Flux's metrics, can FluxGrid read objects from
 * them? Each failure says what to fix; both catalog questions are asked at once.
 */
import { TestDataSourceResponse } from '@grafana/data';

import { catalogQuestion, PromQLOptions, recordingRulesQuestion, schemasOf, StateSchema } from '../flux';
import * as messages from './messages';
import { Prometheus, runPromQL } from './prometheus';
import { FluxDataSourceOptions } from './types';

/** The last hour up to `nowMs`: what "is there data" means for a health check. */
const HEALTH_WINDOW_MS = 3600_000;

export async function checkHealth(
  prom: Prometheus,
  options: PromQLOptions,
  settings: Pick<FluxDataSourceOptions, 'schema' | 'recordingRules'>,
  nowMs: number
): Promise<TestDataSourceResponse> {
  const { schema } = settings;
  const window = { fromMs: nowMs - HEALTH_WINDOW_MS, toMs: nowMs };
  const name = prom.ds.name;
  // Two requests at once; whether the recording rules are current is one more instant query beside the counts.
  const counting = {
    ...catalogQuestion.countQueries(options, window).exprs,
    ...recordingRulesQuestion.queries(window).exprs,
  };
  const [familiesAnswer, countsAnswer] = await Promise.all([
    runPromQL(prom, undefined, catalogQuestion.familiesQueries(window).exprs, window),
    runPromQL(prom, undefined, counting, window),
  ]);
  // Prometheus' warnings go with every verdict: "no Flux metrics" from a partial answer (a Thanos
  // or Mimir store down) may only mean the store that has them did not answer.
  const notices = prom.notices.map((n) => ` ${n.text}`).join('');
  const error = (message: string): TestDataSourceResponse => ({ status: 'error', message: message + notices });
  const { schemas: found, reconcileCounters } = catalogQuestion.readFamilies(familiesAnswer);
  if (!found.length) {
    return error(reconcileCounters ? messages.onlyReconcileCounters(name) : messages.noFluxMetrics(name));
  }
  const wanted = schemasOf(schema).filter((s) => found.includes(s));
  if (!wanted.length) {
    // schemasOf('auto') is every schema: nothing wanted means a forced schema that is missing.
    const forced: StateSchema = schemasOf(schema)[0];
    return error(messages.forcedSchemaMissing(name, forced, found));
  }
  const { objects, clusters } = catalogQuestion.readCounts(countsAnswer);
  if (objects === 0) {
    // The families are there, yet no series has a kind and a name where FluxGrid looks.
    return error(messages.noObjectsResolved(name, wanted));
  }
  // Report the schemas in the order they win (richest first); say when the answer was partial.
  // Over the last hour, as the other counts: whether an Objects refresh of it would read them.
  const coverage = recordingRulesQuestion.read(countsAnswer);
  const rules = messages.recordingRules(
    settings.recordingRules,
    recordingRulesQuestion.unusable(coverage, window, options.labels ?? {})
  );
  return { status: 'success', message: `${messages.healthy(objects, clusters, wanted)}. ${rules}${notices}` };
}
