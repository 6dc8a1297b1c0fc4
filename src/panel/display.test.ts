import { groupObjects } from '../flux';
import { fluxObject } from '../flux/testing/frames';
import { chooseDisplay, foldedGroups, isAllReady, TILE_SCREENS } from './display';
import { computeLayout, TILE } from './layout';

const fleet = (n: number, failing = 0, kinds = ['A', 'B', 'C']) =>
  Array.from({ length: n }, (_, i) =>
    fluxObject({ kind: kinds[i % kinds.length], name: `o${i}`, state: i < failing ? 'Failed' : 'Ready' })
  );

describe('chooseDisplay', () => {
  it('writes names in tiles for a small fleet that fits', () => {
    const objects = fleet(25, 3);
    const groups = groupObjects(objects, ['kind']);
    const choice = chooseDisplay({ objects, groups, width: 1000, height: 400, cellSize: 16, option: 'auto' });
    expect(choice).toEqual({ mode: 'tiles', autoFold: false });
    const tiles = computeLayout({ objects, groups, width: 1000, cellSize: 16, mode: 'tiles' });
    expect(tiles.cellWidth).toBeGreaterThanOrEqual(TILE.minWidth);
    expect(tiles.totalHeight).toBeLessThanOrEqual(TILE_SCREENS * 400);
  });

  it('falls back to cells when the tiles would need more than two screens', () => {
    const objects = fleet(300, 10);
    const groups = groupObjects(objects, ['kind']);
    expect(chooseDisplay({ objects, groups, width: 400, height: 180, cellSize: 16, option: 'auto' }).mode).toBe(
      'cells'
    );
    // Forced either way.
    expect(chooseDisplay({ objects, groups, width: 400, height: 180, cellSize: 16, option: 'tiles' }).mode).toBe(
      'tiles'
    );
    const small = fleet(4);
    expect(
      chooseDisplay({ objects: small, groups: [], width: 1000, height: 400, cellSize: 16, option: 'cells' }).mode
    ).toBe('cells');
  });

  it('folds all-Ready groups only when the grid would not fit, and tiles the rest when they then fit', () => {
    // 3 failing A objects; B and C all Ready.
    const objects = fleet(3000).map((o, i) => (i < 9 && i % 3 === 0 ? { ...o, state: 'Failed' as const } : o));
    const groups = groupObjects(objects, ['kind']);
    const big = chooseDisplay({ objects, groups, width: 1600, height: 700, cellSize: 16, option: 'auto' });
    expect(big.autoFold).toBe(true);
    expect([...foldedGroups(groups, big.autoFold)].sort()).toEqual(['kind=B', 'kind=C']);
    const fits = chooseDisplay({
      objects: fleet(30, 3),
      groups: groupObjects(fleet(30, 3), ['kind']),
      width: 1600,
      height: 700,
      cellSize: 16,
      option: 'auto',
    });
    expect(fits.autoFold).toBe(false);
  });
});

describe('foldedGroups', () => {
  const objects = [
    fluxObject({ cluster: 'a', kind: 'K', name: '1', state: 'Failed' }),
    fluxObject({ cluster: 'a', kind: 'H', name: '2' }),
    fluxObject({ cluster: 'b', kind: 'K', name: '3' }),
  ];
  const groups = groupObjects(objects, ['cluster', 'kind']);

  it('folds at the highest all-Ready level and follows the viewer', () => {
    expect(isAllReady(groups[0])).toBe(false);
    expect([...foldedGroups(groups, true)].sort()).toEqual(['cluster=a/kind=H', 'cluster=b']);
    expect(foldedGroups(groups, false).size).toBe(0);
    const opened = foldedGroups(groups, true, new Map([['cluster=b', false]]));
    expect([...opened]).toEqual(['cluster=a/kind=H']);
    const closed = foldedGroups(groups, false, new Map([['cluster=b', true]]));
    expect([...closed]).toEqual(['cluster=b']);
  });

  it('lays a folded group out as its header only, counted in foldedObjects', () => {
    const layout = computeLayout({ objects, groups, width: 400, cellSize: 16, folded: foldedGroups(groups, true) });
    expect(layout.cells.map((o) => o.name)).toEqual(['1']);
    expect(layout.foldedObjects).toBe(2);
    const folded = layout.rows.filter((r) => r.type === 'header' && r.folded);
    expect(folded).toHaveLength(2);
  });
});
