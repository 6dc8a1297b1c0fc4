/**
 * The `runRequest` Grafana's app hands to @grafana/runtime (`setRunRequest`), which every scene
 * query runner, variable and annotation layer calls. Grafana's (app/features/query/state/
 * runRequest.ts) is not on npm; this one does what its callers see: call the datasource (or the
 * query function a variable passes, e.g. `ds.variables.query`), keep each response packet by key
 * and merge them, answer Loading only when the answer is slow, split annotation frames out of the
 * series, and turn errors (thrown or in the response) into PanelData errors with state Error.
 */
import {
  DataFrame,
  DataQueryError,
  DataQueryRequest,
  DataQueryResponse,
  DataSourceApi,
  DataTopic,
  LoadingState,
  PanelData,
} from '@grafana/data';
import { toDataQueryError } from '@grafana/runtime';
import { catchError, from, isObservable, map, merge, Observable, of, scan, share, takeUntil, timer } from 'rxjs';

type QueryFunction = (request: DataQueryRequest) => Observable<DataQueryResponse> | Promise<DataQueryResponse>;

/** Number of runRequest calls, by requestId prefix (tests count re-queries). */
export const runRequestLog: Array<{ requestId: string; targets: unknown[]; errors?: string[]; rows?: number }> = [];

export function runRequest(
  datasource: DataSourceApi,
  request: DataQueryRequest,
  queryFunction?: QueryFunction
): Observable<PanelData> {
  const logged: (typeof runRequestLog)[number] = { requestId: request.requestId, targets: request.targets };
  runRequestLog.push(logged);
  const loading: PanelData = { state: LoadingState.Loading, series: [], timeRange: request.range, request };
  const call = queryFunction ?? ((r: DataQueryRequest) => datasource.query(r));
  const answered = new Observable<DataQueryResponse>((subscriber) => {
    let returned: Observable<DataQueryResponse> | Promise<DataQueryResponse>;
    try {
      returned = call(request);
    } catch (error) {
      subscriber.error(error);
      return;
    }
    const stream = isObservable(returned) ? returned : from(returned);
    const subscription = stream.subscribe(subscriber);
    return () => subscription.unsubscribe();
  });
  const data = answered.pipe(
    scan(
      (packets, packet) => {
        const key = packet.key ?? packet.data?.[0]?.refId ?? 'A';
        return { ...packets, [key]: packet };
      },
      {} as Record<string, DataQueryResponse>
    ),
    map((packets): PanelData => {
      const all = Object.values(packets);
      const frames: DataFrame[] = all.flatMap((p) => p.data ?? []);
      const errors: DataQueryError[] = all.flatMap((p) => [
        ...(p.errors ?? []),
        ...(p.error && !p.errors?.length ? [p.error] : []),
      ]);
      logged.rows = frames.reduce((n, f) => n + f.length, 0);
      if (errors.length) {
        logged.errors = errors.map((e) => e.message ?? JSON.stringify(e));
      }
      const streaming = all.some((p) => p.state === LoadingState.Streaming);
      const loadingPacket = all.some((p) => p.state === LoadingState.Loading);
      return {
        state: errors.length
          ? LoadingState.Error
          : loadingPacket
            ? LoadingState.Loading
            : streaming
              ? LoadingState.Streaming
              : LoadingState.Done,
        series: frames.filter((f) => f.meta?.dataTopic !== DataTopic.Annotations),
        annotations: frames.filter((f) => f.meta?.dataTopic === DataTopic.Annotations),
        errors: errors.length ? errors : undefined,
        error: errors[0],
        timeRange: request.range,
        request,
      };
    }),
    catchError((error: unknown) => {
      logged.errors = [toDataQueryError(error as DataQueryError).message ?? String(error)];
      return of<PanelData>({
        state: LoadingState.Error,
        series: [],
        error: toDataQueryError(error as DataQueryError),
        errors: [toDataQueryError(error as DataQueryError)],
        timeRange: request.range,
        request,
      });
    }),
    share()
  );
  // Like Grafana: Loading only when the answer takes longer than 200 ms.
  return merge(
    timer(200).pipe(
      map(() => loading),
      takeUntil(data)
    ),
    data
  );
}
