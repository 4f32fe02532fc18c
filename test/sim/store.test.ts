import {test} from 'node:test';
import assert from 'node:assert/strict';
import {Store, StoreError} from '../../source/sim/store.js';

function configMap(name: string) {
	return {apiVersion: 'v1', kind: 'ConfigMap', metadata: {name, namespace: 'default'}, data: {}};
}

test('a full history keeps exactly the last historyLimit changes: older versions get 410, newer ones every change since', () => {
	const limit = 8;
	const store = new Store({historyLimit: limit, now: () => 0});
	const versions: number[] = [];
	for (let i = 0; i < 50; i++) {
		const object = i % 5 === 0 ? store.create('configmaps', configMap(`c${i}`)) : store.update('configmaps', 'default', `c${i - (i % 5)}`, draft => {
			draft.status = {i};
		});
		versions.push(Number(object.metadata.resourceVersion));

		// After every change: the last `limit` changes can be resumed from, nothing older.
		const kept = versions.slice(-limit);
		const oldestResumable = versions.length > limit ? versions.at(-limit - 1)! : 1;
		assert.deepEqual(store.changesSince(oldestResumable).map(event => event.resourceVersion), kept, `after change ${i}`);
		if (versions.length > limit) {
			assert.throws(() => store.changesSince(oldestResumable - 1), (error: unknown) => error instanceof StoreError && error.code === 410);
		}

		assert.deepEqual(store.changesSince(versions.at(-1)!), []);
	}
});

test('expireHistory: every version before it gets 410, and changes after it are kept', () => {
	const store = new Store({historyLimit: 4, now: () => 0});
	for (let i = 0; i < 10; i++) {
		store.create('configmaps', configMap(`c${i}`));
	}

	const before = store.resourceVersion;
	store.expireHistory();
	assert.throws(() => store.changesSince(before), (error: unknown) => error instanceof StoreError && error.code === 410);
	const after = store.resourceVersion;
	const added = store.create('configmaps', configMap('later'));
	assert.deepEqual(store.changesSince(after).map(event => event.object.metadata.name), [added.metadata.name]);
});
