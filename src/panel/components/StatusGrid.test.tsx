import { act, cleanup, render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import React from 'react';

import { locationService } from '@grafana/runtime';

import { FluxGridPanel } from '../FluxGridPanel';
import { fleetFrames, operatorFrames, panelProps } from '../testing/fixtures';
import { TEST_IDS } from '../testIds';

const grid = () => screen.getByTestId(TEST_IDS.grid);
const tooltip = () => screen.getByTestId(TEST_IDS.tooltip);

/** Tabs until the grid has focus; fails fast (instead of looping) when it never does. */
async function tabToGrid(user: ReturnType<typeof userEvent.setup>) {
  for (let i = 0; i < 20 && document.activeElement !== grid(); i++) {
    await user.tab();
  }
  expect(document.activeElement).toBe(grid());
}

/** jsdom has no layout: aim at cell i of the first row through the grid's own geometry. */
function cellPoint(i: number) {
  const padding = Number(grid().getAttribute('data-padding'));
  const pitch = Number(grid().getAttribute('data-pitch'));
  return { clientX: padding + i * pitch + 4, clientY: padding + 4 };
}

describe('StatusGrid', () => {
  // Many awaited user events: slow on a loaded machine, so a generous timeout (never a timing assertion).
  jest.setTimeout(20_000);

  beforeEach(() => {
    cleanup();
    document.body.focus();
    locationService.push('/');
  });
  afterEach(() => {
    cleanup();
    jest.restoreAllMocks();
  });

  it('Enter on a fold button toggles the group', async () => {
    const user = userEvent.setup();
    // One failure and 400 Ready objects in a short panel: the all-Ready group starts folded.
    const frames = [...operatorFrames({ kind: 'HelmRelease', namespace: 'a', name: 'broken', ready: 'False' })];
    for (let i = 0; i < 400; i++) {
      frames.push(...operatorFrames({ kind: 'Kustomization', namespace: 'a', name: `k${i}`, ready: 'True' }));
    }
    render(<FluxGridPanel {...panelProps(frames, { display: 'cells' }, { height: 300 })} />);
    await tabToGrid(user);
    const focusedBefore = screen.getByTestId(TEST_IDS.activeCell).textContent;
    const toggle = screen.getByTestId(TEST_IDS.groupToggle);
    expect(toggle).toHaveAttribute('aria-expanded', 'false');
    act(() => toggle.focus());

    await user.keyboard('{Enter}');
    // The button's own action: the group opens, and nothing navigated away.
    expect(screen.getByTestId(TEST_IDS.groupToggle)).toHaveAttribute('aria-expanded', 'true');
    expect(locationService.getLocation().pathname).toBe('/');

    // Keys meant for the button do not move the grid's cell focus either.
    await user.keyboard('{End}{ArrowRight}');
    expect(screen.getByTestId(TEST_IDS.activeCell).textContent).toBe(focusedBefore);
  });

  it('Enter follows the tooltip it advertises', async () => {
    const user = userEvent.setup();
    render(<FluxGridPanel {...panelProps(fleetFrames(), { groupBy: 'none', display: 'cells' })} />);
    // Focus and pin cell 0, then unpin it: focus stays on cell 0.
    await user.pointer({ target: grid(), coords: cellPoint(0), keys: '[MouseLeft]' });
    await user.pointer({ target: grid(), coords: cellPoint(0), keys: '[MouseLeft]' });
    const focusedKey = tooltip().getAttribute('data-key');
    expect(tooltip()).toHaveAttribute('data-pinned', 'false');
    // The tooltip shows the focused object: Enter acts on it, and the hint says so.
    expect(tooltip()).toHaveTextContent('Enter opens the first');

    // Hovering another object: Enter would still act on the focused one, so no Enter hint.
    await user.pointer({ target: grid(), coords: cellPoint(1) });
    expect(tooltip().getAttribute('data-key')).not.toBe(focusedKey);
    expect(tooltip()).toHaveTextContent('Click to pin and use the links');
    expect(tooltip()).not.toHaveTextContent('Enter');

    // Back on the focused object, the hint is back.
    await user.pointer({ target: grid(), coords: cellPoint(0) });
    expect(tooltip().getAttribute('data-key')).toBe(focusedKey);
    expect(tooltip()).toHaveTextContent('Enter opens the first');
  });

  it('advertises Enter in the keyboard focus tooltip, and Enter opens that object', async () => {
    const user = userEvent.setup();
    render(<FluxGridPanel {...panelProps(fleetFrames(), { groupBy: 'none', display: 'cells' })} />);
    await tabToGrid(user);
    expect(tooltip()).toHaveTextContent('Enter opens the first');
    expect(tooltip()).toHaveTextContent('HelmRelease');
    expect(tooltip()).toHaveTextContent('podinfo/podinfo');
    await user.keyboard('{Enter}');
    expect(locationService.getLocation().pathname).toBe('/d/fluxgrid-object/flux-object');
    expect(locationService.getSearchObject()).toMatchObject({
      'var-kind': 'HelmRelease',
      'var-namespace': 'podinfo',
      'var-name': 'podinfo',
    });
  });
});
