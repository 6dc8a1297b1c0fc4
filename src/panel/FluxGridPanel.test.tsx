import { act, cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { DataFrame, DataQueryError, DataQueryRequest, FieldType, LoadingState, toDataFrame } from '@grafana/data';

import { seriesFrame } from '../flux/testing/frames';
import { fleetFrames, panelProps, samplesBetween, T0, T_END } from './testing/fixtures';
import { FluxGridPanel } from './FluxGridPanel';
import { TEST_IDS } from './testIds';
import { FluxGridOptions } from './types';

function renderPanel(series = fleetFrames(), options: Partial<FluxGridOptions> = {}, overrides = {}) {
  return render(<FluxGridPanel {...panelProps(series, options, overrides)} />);
}

const grid = () => screen.getByTestId(TEST_IDS.grid);
const shownCells = () => Number(grid().getAttribute('data-cells'));

describe('FluxGridPanel', () => {
  it('shows counts per state in the summary', () => {
    renderPanel();
    expect(screen.getByTestId(TEST_IDS.summaryButton('Failed'))).toHaveTextContent(/Failed\s*2/);
    expect(screen.getByTestId(TEST_IDS.summaryButton('Progressing'))).toHaveTextContent(/Progressing\s*1/);
    expect(screen.getByTestId(TEST_IDS.summaryButton('Suspended'))).toHaveTextContent(/Suspended\s*1/);
    expect(screen.getByTestId(TEST_IDS.summaryButton('Ready'))).toHaveTextContent(/Ready\s*3/);
    expect(screen.getByTestId(TEST_IDS.summaryButton('Unknown'))).toHaveTextContent(/Unknown\s*0/);
    // Deleted objects are hidden by default, so is their count.
    expect(screen.queryByTestId(TEST_IDS.summaryButton('Deleted'))).not.toBeInTheDocument();
    expect(shownCells()).toBe(7);
  });

  it('filters to a state when its summary button is clicked, and back when clicked again', async () => {
    const user = userEvent.setup();
    renderPanel();
    const failed = screen.getByTestId(TEST_IDS.summaryButton('Failed'));
    expect(failed).toHaveAttribute('aria-pressed', 'false');
    await user.click(failed);
    expect(failed).toHaveAttribute('aria-pressed', 'true');
    expect(shownCells()).toBe(2);
    expect(screen.getByTestId(TEST_IDS.announcer)).toHaveTextContent('Showing 2 of 7 Flux objects');
    await user.click(failed);
    expect(failed).toHaveAttribute('aria-pressed', 'false');
    expect(shownCells()).toBe(7);
  });

  it('searches, and offers to clear filters when nothing matches', async () => {
    const user = userEvent.setup();
    renderPanel();
    await user.type(screen.getByTestId(TEST_IDS.searchInput), 'podinfo');
    expect(shownCells()).toBe(2);
    await user.clear(screen.getByTestId(TEST_IDS.searchInput));
    await user.type(screen.getByTestId(TEST_IDS.searchInput), 'foo');
    const message = screen.getByTestId(TEST_IDS.message);
    expect(message).toHaveAttribute('data-kind', 'filteredOut');
    expect(message).toHaveTextContent("No objects match 'foo'");
    // The summary stays, so the viewer can see what exists.
    expect(screen.getByTestId(TEST_IDS.summaryButton('Failed'))).toBeInTheDocument();
    await user.click(screen.getByTestId(TEST_IDS.clearFilters));
    expect(screen.getByTestId(TEST_IDS.searchInput)).toHaveValue('');
    expect(shownCells()).toBe(7);
  });

  it('shows only problems when the toggle is pressed', async () => {
    const user = userEvent.setup();
    renderPanel();
    const toggle = screen.getByTestId(TEST_IDS.problemsToggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'false');
    await user.click(toggle);
    expect(toggle).toHaveAttribute('aria-pressed', 'true');
    expect(shownCells()).toBe(3);
  });

  it('starts with problems only when the option says so', () => {
    renderPanel(fleetFrames(), { problemsOnly: true });
    expect(screen.getByTestId(TEST_IDS.problemsToggle)).toHaveAttribute('aria-pressed', 'true');
    expect(shownCells()).toBe(3);
  });

  it('renders one header per group with per-state counts', () => {
    renderPanel(fleetFrames(), { groupBy: 'kind' });
    const headers = screen.getAllByTestId(TEST_IDS.groupHeader);
    expect(headers.map((h) => h.textContent)).toEqual([
      expect.stringMatching(/^HelmRelease1✕1$/),
      expect.stringMatching(/^Kustomization3✕1◐1✓1$/),
      expect.stringMatching(/^GitRepository2‖1✓1$/),
      expect.stringMatching(/^HelmRepository1✓1$/),
    ]);
  });

  describe('keyboard', () => {
    // Many awaited user events: slow on a loaded machine, so a generous timeout (never a timing
    // assertion). Each test starts from a clean document and fresh mocks, so nothing one test
    // left (a focused element, a pending keystroke, a spy) can reach the next.
    jest.setTimeout(20_000);

    beforeEach(() => {
      cleanup();
      document.body.focus();
    });
    afterEach(() => {
      cleanup();
      jest.restoreAllMocks();
    });

    /** Tabs until the grid has focus; fails fast (instead of looping) when it never does. */
    async function tabToGrid(user: ReturnType<typeof userEvent.setup>) {
      for (let i = 0; i < 20 && document.activeElement !== grid(); i++) {
        await user.tab();
      }
      expect(document.activeElement).toBe(grid());
    }

    it('focuses the first object and shows its tooltip, arrows move on', async () => {
      const user = userEvent.setup();
      // Cells: all seven objects in one row, so End is the last object.
      renderPanel(fleetFrames(), { groupBy: 'none', display: 'cells' });
      await tabToGrid(user);
      const active = screen.getByTestId(TEST_IDS.activeCell);
      expect(grid()).toHaveAttribute('aria-activedescendant', active.id);
      expect(active).toHaveTextContent('HelmRelease podinfo/podinfo: Failed, reason InstallFailed');
      const tooltip = screen.getByTestId(TEST_IDS.tooltip);
      expect(tooltip).toHaveAttribute('data-sustained', 'false');
      expect(within(tooltip).getByText('InstallFailed')).toBeInTheDocument();

      await user.keyboard('{ArrowRight}');
      expect(screen.getByTestId(TEST_IDS.activeCell)).toHaveTextContent(
        'Kustomization flux-system/apps: Failed for 25m (sustained), reason BuildFailed'
      );
      const sustained = screen.getByTestId(TEST_IDS.tooltip);
      expect(sustained).toHaveAttribute('data-sustained', 'true');
      expect(sustained).toHaveTextContent('Sustained failure');
      // The header names the object once; the rows do not repeat it, nor say "Suspended: no".
      expect(within(sustained).getByTestId(TEST_IDS.tooltipTitle)).toHaveTextContent('flux-system/apps');
      expect(sustained).toHaveTextContent(/^\W*Kustomizationflux-system\/apps/);
      expect(sustained).not.toHaveTextContent('Object');
      expect(sustained).toHaveTextContent('Revisionmain@sha1:abc123');
      expect(sustained).toHaveTextContent('Time in state25m');
      expect(sustained).not.toHaveTextContent('Suspended');
      expect(sustained).toHaveTextContent('Click to pin');

      await user.keyboard('{End}');
      expect(screen.getByTestId(TEST_IDS.activeCell)).toHaveTextContent('Kustomization flux-system/flux-system: Ready');
      await user.keyboard('{Escape}');
    });

    it('opens the first data link with Enter', async () => {
      const user = userEvent.setup();
      const open = jest.spyOn(window, 'open').mockImplementation(() => null);
      renderPanel(
        fleetFrames(),
        { groupBy: 'none' },
        {
          fieldConfig: {
            defaults: { links: [{ title: 'Details', url: 'https://flux.example/${__flux.name}', targetBlank: true }] },
            overrides: [],
          },
          replaceVariables: (text: string, vars?: any) =>
            text.replace(
              '${__flux.name}',
              vars?.__flux ? encodeURIComponent(vars.__flux.value.name) : '${__flux.name}'
            ),
        }
      );
      act(() => grid().focus());
      expect(screen.getByTestId(TEST_IDS.activeCell)).toHaveTextContent('HelmRelease podinfo/podinfo');
      await user.keyboard('{Enter}');
      expect(open).toHaveBeenCalledTimes(1);
      expect(open).toHaveBeenCalledWith('https://flux.example/podinfo', '_blank', 'noopener,noreferrer');
      // The user's link first, then the built-in one to the Flux object dashboard (objectLink.ts).
      const [details, objectDashboard] = within(screen.getByTestId(TEST_IDS.tooltip)).getAllByTestId(
        TEST_IDS.tooltipLink
      );
      expect(details).toHaveAttribute('href', 'https://flux.example/podinfo');
      expect(objectDashboard).toHaveAttribute(
        'href',
        '/d/fluxgrid-object/flux-object?var-kind=HelmRelease&var-namespace=podinfo&var-name=podinfo'
      );
    });
  });

  it('pins the tooltip with a click; the pinned one has a close button that closes it', async () => {
    const user = userEvent.setup();
    renderPanel(fleetFrames(), { groupBy: 'none' });
    // jsdom has no layout: aim at cell 0 through the grid's own geometry (padding 8, cell 16).
    const cell = { clientX: 8 + 4, clientY: 8 + 4 };
    await user.pointer({ target: grid(), coords: cell, keys: '[MouseLeft]' });
    const tooltip = screen.getByTestId(TEST_IDS.tooltip);
    expect(tooltip).toHaveAttribute('data-pinned', 'true');
    expect(tooltip).toHaveAttribute('role', 'dialog');
    expect(tooltip).not.toHaveTextContent('Click to pin');
    await user.click(within(tooltip).getByTestId(TEST_IDS.tooltipClose));
    // Closed means gone, although the grid still has focus on that object.
    expect(screen.queryByTestId(TEST_IDS.tooltip)).not.toBeInTheDocument();

    // Escape closes a pinned tooltip as well; moving on shows the next object's.
    await user.pointer({ target: grid(), coords: cell, keys: '[MouseLeft]' });
    expect(screen.getByTestId(TEST_IDS.tooltip)).toHaveAttribute('data-pinned', 'true');
    await user.keyboard('{Escape}');
    expect(screen.queryByTestId(TEST_IDS.tooltip)).not.toBeInTheDocument();
    await user.keyboard('{ArrowRight}');
    expect(screen.getByTestId(TEST_IDS.tooltip)).toHaveAttribute('data-pinned', 'false');
  });

  it('says what the datasource warned about (a partial answer) above the grid', () => {
    const frames = fleetFrames();
    frames[0] = {
      ...frames[0],
      meta: { notices: [{ severity: 'warning', text: 'Partial answer: prod-us timed out' }] },
    };
    renderPanel(frames);
    expect(screen.getByTestId(TEST_IDS.warning)).toHaveTextContent('Partial answer: prod-us timed out');
    expect(shownCells()).toBe(7);
  });

  it('puts summary and toolbar on one short row in a small panel, and leaves them out in a tiny one', async () => {
    const user = userEvent.setup();
    renderPanel(fleetFrames(), {}, { width: 400, height: 250 });
    expect(screen.getByTestId(TEST_IDS.controls)).toHaveAttribute('data-compact', 'true');
    expect(screen.getByTestId(TEST_IDS.summaryButton('Failed'))).toHaveAccessibleName(/^Failed: 2/);
    expect(screen.queryByTestId(TEST_IDS.searchInput)).not.toBeInTheDocument();
    await user.click(screen.getByTestId(TEST_IDS.searchToggle));
    await user.keyboard('podinfo');
    expect(shownCells()).toBe(2);
    cleanup();
    renderPanel(fleetFrames(), {}, { width: 400, height: 120 });
    expect(screen.queryByTestId(TEST_IDS.controls)).not.toBeInTheDocument();
    expect(shownCells()).toBe(7);
  });

  it('marks sustained failures in the summary when a threshold is set', () => {
    renderPanel();
    expect(screen.getByTestId(TEST_IDS.summaryButton('Failed'))).toHaveAccessibleName(
      'Failed: 2, 1 failing longer than 10m. Show only Failed'
    );
  });

  it('follows the threshold: 30m makes no failure sustained', () => {
    renderPanel(fleetFrames(), { failingThreshold: '30m' });
    expect(screen.getByTestId(TEST_IDS.summaryButton('Failed'))).toHaveAccessibleName('Failed: 2. Show only Failed');
  });

  it('warns about an invalid threshold and still renders the grid', () => {
    renderPanel(fleetFrames(), { failingThreshold: '10 minutes' });
    expect(screen.getByTestId(TEST_IDS.warning)).toHaveTextContent(`Invalid "Failing longer than" value '10 minutes'`);
    expect(shownCells()).toBe(7);
  });

  it('reads options edited by hand at this version as a migration would, rather than crash', () => {
    // Grafana runs the migration only on a version change; panel JSON is untyped.
    const edited: Partial<FluxGridOptions> = JSON.parse('{"labels": {"kind": 5, "name": null}, "cellSize": "big"}');
    renderPanel(fleetFrames(), edited);
    expect(screen.getByTestId(TEST_IDS.grid)).toBeInTheDocument();
    expect(screen.queryByTestId(TEST_IDS.message)).not.toBeInTheDocument();
  });

  describe('an unusable "Object dashboard link" option', () => {
    it('is named in a warning that says how to fix it; the grid still renders, without the link', () => {
      renderPanel(fleetFrames(), { objectLink: 'grafana.example.com/d/flux/obj' });
      const warning = screen.getByTestId(TEST_IDS.warning);
      expect(warning).toHaveTextContent(
        "Object dashboard link 'grafana.example.com/d/flux/obj' is neither a Grafana path (/d/<uid>/<slug>) nor an http(s) URL"
      );
      expect(warning).toHaveTextContent('a URL starting with https://');
      expect(shownCells()).toBe(7);
    });

    it.each(['https://grafana.example.com/d/flux/obj', '/d/mine/flux', ''])(
      'a usable one (%p) gives no warning',
      (link) => {
        renderPanel(fleetFrames(), { objectLink: link });
        expect(screen.queryByTestId(TEST_IDS.warning)).not.toBeInTheDocument();
      }
    );
  });

  describe('failed queries', () => {
    const fail = 'Prometheus datasource with uid "prom" not found';
    const props = panelProps([]);
    const targets = [
      { refId: 'A', expr: 'flux_resource_info' },
      { refId: 'B', expr: 'gotk_resource_info' },
    ];
    const request: DataQueryRequest = {
      requestId: 'Q1',
      interval: '15s',
      intervalMs: 15_000,
      range: props.data.timeRange,
      scopedVars: {},
      targets,
      timezone: 'utc',
      app: 'dashboard',
      startTime: T_END,
    };
    /** What Grafana hands the panel when query A failed: state Error, the error per refId. */
    function renderWithErrors(series: DataFrame[], errors: DataQueryError[] = [{ refId: 'A', message: fail }]) {
      const p = panelProps(series);
      const data = { ...p.data, request, state: LoadingState.Error, errors, error: errors[0] };
      return render(<FluxGridPanel {...p} data={data} />);
    }

    it('no series: the message gives the failed queries and their errors, as text, not "no series"', () => {
      const hostile = 'parse error: unexpected <img src=x onerror=alert(1)>';
      renderWithErrors(
        [],
        [
          { refId: 'A', message: fail },
          { refId: 'B', message: hostile },
        ]
      );
      const message = screen.getByTestId(TEST_IDS.message);
      expect(message).toHaveAttribute('data-kind', 'noData');
      expect(message).toHaveTextContent(`Query A failed: ${fail}. Query B failed: ${hostile}`);
      expect(message).toHaveTextContent('Fix them in the query editor');
      expect(message).not.toHaveTextContent('returned no series');
      expect(message).not.toHaveTextContent('Widen the time range');
      expect(message.querySelector('img')).toBeNull();
      expect(screen.queryByTestId(TEST_IDS.grid)).not.toBeInTheDocument();
    });

    it("with series: a warning names the failed query and says the grid shows the others' objects only", () => {
      renderWithErrors(fleetFrames());
      expect(screen.getByTestId(TEST_IDS.warning)).toHaveTextContent(
        `Query A failed: ${fail}. The grid shows only the objects of the queries that succeeded.`
      );
      expect(shownCells()).toBe(7);
    });
  });

  describe('messages instead of a blank panel', () => {
    it('no data: names the query that ran and the time range', () => {
      const props = panelProps([]);
      const request = {
        requestId: 'A',
        interval: '15s',
        intervalMs: 15_000,
        range: props.data.timeRange,
        scopedVars: {},
        targets: [{ refId: 'A', expr: 'flux_resource_info{cluster="nowhere"}' }],
        timezone: 'utc',
        app: 'dashboard',
        startTime: T_END,
      };
      render(<FluxGridPanel {...props} data={{ ...props.data, request }} />);
      const message = screen.getByTestId(TEST_IDS.message);
      expect(message).toHaveAttribute('data-kind', 'noData');
      expect(message).toHaveTextContent(
        'The query returned no series for now-30m to now (2024-01-01 00:00:00 to 2024-01-01 00:30:00): A: flux_resource_info{cluster="nowhere"}.'
      );
      expect(message).toHaveTextContent('Widen the time range');
      expect(screen.queryByTestId(TEST_IDS.grid)).not.toBeInTheDocument();
    });

    it('no data and no query', () => {
      renderPanel([]);
      const message = screen.getByTestId(TEST_IDS.message);
      expect(message).toHaveAttribute('data-kind', 'noData');
      expect(message).toHaveTextContent('No query ran for now-30m to now');
      expect(message).toHaveTextContent('Add a query of the Flux metrics (gotk_resource_info');
    });

    it('not Flux metrics: names what it looked for and what it found', () => {
      const range = samplesBetween(T0, T_END);
      renderPanel([
        seriesFrame({ __name__: 'up', job: 'node' }, range),
        seriesFrame({ __name__: 'process_cpu_seconds_total' }, range),
      ]);
      const message = screen.getByTestId(TEST_IDS.message);
      expect(message).toHaveAttribute('data-kind', 'notFlux');
      expect(message).toHaveTextContent('No Flux metrics in this data');
      expect(message).toHaveTextContent('Looked for gotk_resource_info, flux_resource_info, gotk_reconcile_condition');
      expect(message).toHaveTextContent('up');
      expect(message).toHaveTextContent('process_cpu_seconds_total');
    });

    it('frames it cannot use', () => {
      const textOnly = toDataFrame({
        name: 'logs',
        fields: [{ name: 'line', type: FieldType.string, values: ['hello'] }],
      });
      renderPanel([textOnly]);
      const message = screen.getByTestId(TEST_IDS.message);
      expect(message).toHaveTextContent('could not be read');
      expect(message).toHaveTextContent('logs');
    });

    it('unusable frames next to good ones: a warning above the grid', () => {
      const textOnly = toDataFrame({
        name: 'logs',
        fields: [{ name: 'line', type: FieldType.string, values: ['hello'] }],
      });
      renderPanel([...fleetFrames(), textOnly]);
      expect(screen.getByTestId(TEST_IDS.warning)).toHaveTextContent('1 frame could not be read');
      expect(shownCells()).toBe(7);
    });
  });

  it('renders label values as text', () => {
    const hostile = { kind: 'Kustomization', name: '<img src=x onerror=alert(1)>', exported_namespace: 'ns' };
    renderPanel([
      seriesFrame(
        { __name__: 'flux_resource_info', ...hostile, ready: 'False', reason: '<b>x</b>', suspended: 'False' },
        samplesBetween(T0, T_END)
      ),
    ]);
    act(() => grid().focus());
    const tooltip = screen.getByTestId(TEST_IDS.tooltip);
    expect(tooltip).toHaveTextContent('ns/<img src=x onerror=alert(1)>');
    expect(tooltip.querySelector('img')).toBeNull();
    expect(tooltip.querySelector('b')).toBeNull();
    // One object in a big panel: a tile that writes the name, as text.
    expect(grid()).toHaveAttribute('data-mode', 'tiles');
    expect(screen.getByTestId(TEST_IDS.tileName)).toHaveTextContent('<img src=x onerror=alert(1)>');
    expect(grid().querySelector('img')).toBeNull();
  });

  it('repaints the grid when what it shows changes, not when the panel alone renders again', async () => {
    const props = panelProps(fleetFrames());
    const { rerender } = render(<FluxGridPanel {...props} />);
    const nextFrame = () => act(() => new Promise<void>((resolve) => requestAnimationFrame(() => resolve())));
    await nextFrame();
    const canvas = screen.getByTestId(TEST_IDS.gridCanvas);
    const draws = Number(canvas.dataset.draws);
    expect(draws).toBeGreaterThan(0);
    // Grafana renders a panel again for its chrome (a new render counter), with the same data.
    rerender(<FluxGridPanel {...props} renderCounter={1} />);
    await nextFrame();
    expect(Number(canvas.dataset.draws)).toBe(draws);
    rerender(<FluxGridPanel {...props} renderCounter={2} options={{ ...props.options, cellSize: 8 }} />);
    await nextFrame();
    expect(Number(canvas.dataset.draws)).toBe(draws + 1);
  });

  it('writes names in tiles when they fit, draws cells when forced or when they do not', () => {
    renderPanel(fleetFrames());
    expect(grid()).toHaveAttribute('data-mode', 'tiles');
    const names = screen.getAllByTestId(TEST_IDS.tileName).map((el) => el.textContent);
    expect(names).toHaveLength(7);
    expect(names).toContain('podinfo');
    cleanup();
    renderPanel(fleetFrames(), { display: 'cells' });
    expect(grid()).toHaveAttribute('data-mode', 'cells');
    expect(screen.queryByTestId(TEST_IDS.tileName)).not.toBeInTheDocument();
    cleanup();
    renderPanel(fleetFrames(), {}, { width: 800, height: 90 });
    expect(grid()).toHaveAttribute('data-mode', 'cells');
  });

  it.each(['__proto__', 'constructor', 'toString'])(
    "explains a label setting named '%s' instead of crashing or merging objects",
    (name) => {
      renderPanel(fleetFrames(), { labels: { cluster: '', kind: name, namespace: '', name, reason: '' } });
      const message = screen.getByTestId(TEST_IDS.message);
      expect(message).toHaveAttribute('data-kind', 'badOptions');
      expect(message).toHaveTextContent('2 label settings need fixing');
      expect(message).toHaveTextContent(`Kind label '${name}' cannot be used`);
      expect(message).toHaveTextContent(`Name label '${name}' cannot be used`);
      expect(screen.queryByTestId(TEST_IDS.grid)).not.toBeInTheDocument();
    }
  );

  it('explains a label setting that is not a label name', () => {
    renderPanel(fleetFrames(), { labels: { cluster: 'k8s cluster', kind: '', namespace: '', name: '', reason: '' } });
    expect(screen.getByTestId(TEST_IDS.message)).toHaveTextContent(
      "Cluster label 'k8s cluster' is not a Prometheus label name"
    );
  });
});
