import { fireEvent, render, screen } from '@testing-library/react';
import React from 'react';

import { locationService } from '@grafana/runtime';

import { fluxObject } from '../../flux/testing/frames';
import { buildObjectLinks } from '../links';
import { OBJECT_LINK_DEFAULT } from '../objectLink';
import { TEST_IDS } from '../testIds';
import { ObjectTooltip } from './ObjectTooltip';

const object = fluxObject({ kind: 'Kustomization', namespace: 'a', name: 'p' });

/** A pinned tooltip with the built-in link to the object dashboard: an in-app path, target _self. */
function renderPinned() {
  const links = buildObjectLinks(object, undefined, () => '', OBJECT_LINK_DEFAULT);
  expect(links).toHaveLength(1);
  render(
    <ObjectTooltip
      id="t"
      object={object}
      context={{ nowMs: 0, sustained: false }}
      links={links}
      left={0}
      top={0}
      pinned
      onClose={() => {}}
    />
  );
  return screen.getByTestId(TEST_IDS.tooltipLink);
}

describe('ObjectTooltip links', () => {
  beforeEach(() => locationService.push('/'));
  afterEach(() => jest.restoreAllMocks());

  it('follows a plain click on an in-app link with the router', () => {
    const push = jest.spyOn(locationService, 'push');
    const link = renderPinned();
    expect(fireEvent.click(link)).toBe(false); // default prevented: no page load
    expect(push).toHaveBeenCalledTimes(1);
    expect(locationService.getLocation().pathname).toBe('/d/fluxgrid-object/flux-object');
  });

  it.each([
    ['ctrl', { ctrlKey: true }],
    ['meta', { metaKey: true }],
    ['shift', { shiftKey: true }],
    ['alt', { altKey: true }],
    ['middle', { button: 1 }],
  ])('%s click is left to the browser', (_name, init) => {
    const push = jest.spyOn(locationService, 'push');
    const link = renderPinned();
    // Not prevented: the browser opens the new tab or window the user asked for.
    expect(fireEvent.click(link, init)).toBe(true);
    expect(push).not.toHaveBeenCalled();
    expect(locationService.getLocation().pathname).toBe('/');
  });
});
