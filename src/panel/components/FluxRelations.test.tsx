import { render, screen } from '@testing-library/react';
import React from 'react';

import { readFluxFrames, relate, rolloutsQuestion, summarizeCauses } from '../../flux';
import {
  instantFrames,
  ksmLabels,
  legacyConditionLabels,
  seriesFrame,
  steps,
  STEP,
  T0,
} from '../../flux/testing/frames';
import { CauseSummaryNote, FluxRelationsContext, ObjectRelationNotes, RELATION_TEST_IDS } from './FluxRelations';
import { ROLLOUT_TEST_IDS, RolloutView } from './RolloutView';

const objects = readFluxFrames(
  instantFrames([
    { labels: ksmLabels('GitRepository', 'flux-system', { ready: 'False' }), value: 1 },
    {
      labels: ksmLabels('Kustomization', 'apps', {
        ready: 'False',
        source_name: 'flux-system',
        ready_message: '<b>kustomize build failed</b>',
      }),
      value: 1,
    },
    { labels: ksmLabels('Kustomization', 'legacy-ish', { ready: 'False' }), value: 1 },
  ])
).objects;
const byName = (name: string) => objects.find((o) => o.name === name)!;
const relations = relate(objects);

function withRelations(children: React.ReactNode) {
  return render(
    <FluxRelationsContext.Provider value={{ relations, messages: new Map() }}>{children}</FluxRelationsContext.Provider>
  );
}

describe('ObjectRelationNotes', () => {
  it('says what blocks a consumer, and shows its Ready message as text', () => {
    withRelations(<ObjectRelationNotes object={byName('apps')} />);
    expect(screen.getByTestId(RELATION_TEST_IDS.blockedBy).textContent).toBe(
      'Blocked by GitRepository apps/flux-system'
    );
    expect(screen.getByTestId(RELATION_TEST_IDS.readyMessage).textContent).toBe('<b>kustomize build failed</b>');
    expect(document.querySelector('b')).toBeNull();
  });

  it('says how many objects a cause blocks', () => {
    withRelations(<ObjectRelationNotes object={byName('flux-system')} />);
    expect(screen.getByTestId(RELATION_TEST_IDS.blocks).textContent).toBe('Cause: blocks 1 object');
  });

  it('says nothing about an object without a relation, or without the relations', () => {
    const { container } = withRelations(<ObjectRelationNotes object={byName('legacy-ish')} />);
    expect(container.textContent).toBe('');
    expect(render(<ObjectRelationNotes object={byName('apps')} />).container.textContent).toBe('');
  });
});

describe('CauseSummaryNote', () => {
  it('counts causes apart from symptoms, and is absent without causes', () => {
    render(<CauseSummaryNote summary={summarizeCauses(objects, relations)} />);
    expect(screen.getByTestId(RELATION_TEST_IDS.causes).textContent).toBe(
      '1 failing source blocks 1 object · 1 other failure'
    );
    const none = render(<CauseSummaryNote summary={{ causes: 0, blocked: 0, otherFailures: 2 }} />);
    expect(none.container.textContent).toBe('');
  });
});

describe('RolloutView', () => {
  it('puts the lagging cluster first and says what cannot be compared', () => {
    const ksm = (cluster: string, revision: string, from: number, to = 60) =>
      seriesFrame(
        ksmLabels('Kustomization', 'podinfo', { cluster, revision, ready: 'True' }),
        steps(to - from, 1, from)
      );
    const rollouts = rolloutsQuestion.read(
      {
        revisions: [
          ksm('a', 'v2', 30),
          ksm('a', 'v1', 0, 30),
          ksm('b', 'v1', 0),
          seriesFrame(legacyConditionLabels('Kustomization', 'podinfo', 'True', { cluster: 'old' }), steps(60)),
        ],
      },
      { fromMs: T0, toMs: T0 + 59 * STEP }
    );
    render(<RolloutView rollouts={rollouts} nowMs={T0 + 59 * STEP} />);
    const rows = screen.getAllByTestId(ROLLOUT_TEST_IDS.row);
    expect(rows.map((r) => [r.dataset.cluster, r.dataset.status])).toEqual([
      ['b', 'lagging'],
      ['old', 'no revision'],
      ['a', 'newest'],
    ]);
    expect(screen.getByTestId(ROLLOUT_TEST_IDS.summary).textContent).toBe(
      '1 of 3 on the newest v2 (first seen 29m ago); lagging: b'
    );
    expect(screen.getByTestId(ROLLOUT_TEST_IDS.message).textContent).toContain('carry no revision');
  });
});
