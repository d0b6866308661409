import { expect } from '@open-wc/testing';
import { chooseService, initialPickerState } from '../../src/core/picker-state.ts';
import { createStore } from '../../src/core/store.ts';

describe('store', () => {
  it('merges patches and tells subscribers the new and previous state', () => {
    const store = createStore(initialPickerState());
    const seen: Array<[string | null, string | null]> = [];
    store.subscribe((state, previous) => seen.push([state.currentService, previous.currentService]));

    store.setState((state) => chooseService(state, 'ALFRESCO'));
    store.setState({ open: true });

    expect(store.getState()).to.deep.equal({ ...initialPickerState(), open: true, currentService: 'ALFRESCO' });
    expect(seen).to.deep.equal([
      ['ALFRESCO', null],
      ['ALFRESCO', 'ALFRESCO'],
    ]);
  });

  it('stops notifying after unsubscribe', () => {
    const store = createStore(initialPickerState());
    let calls = 0;
    const unsubscribe = store.subscribe(() => (calls += 1));

    store.setState({ open: true });
    unsubscribe();
    store.setState({ open: false });

    expect(calls).to.equal(1);
  });
});
