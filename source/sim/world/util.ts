// Small helpers shared by the simulated world: timestamps as the API server writes them,
// IDs that look like the real ones, and label selector matching.
import {createHash, randomBytes} from 'node:crypto';

/** RFC 3339 with second precision, as Kubernetes serialises metav1.Time. */
export function iso(ms: number): string {
	return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function randomHex(bytes: number): string {
	return randomBytes(bytes).toString('hex');
}

export function sha256Hex(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

// The alphabet of k8s.io/apimachinery/pkg/util/rand: no vowels, no look-alike characters.
const safeAlphabet = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSafeString(length: number, random: () => number = Math.random): string {
	let out = '';
	for (let i = 0; i < length; i++) {
		out += safeAlphabet[Math.floor(random() * safeAlphabet.length)];
	}

	return out;
}

/** FNV-1a 32-bit. */
function fnv32a(text: string): number {
	let hash = 0x81_1c_9d_c5;
	for (let i = 0; i < text.length; i++) {
		hash ^= text.charCodeAt(i);
		hash = Math.imul(hash, 0x01_00_01_93) >>> 0;
	}

	return hash >>> 0;
}

/**
 * A pod-template-hash like the Deployment controller's: the FNV hash of the template as a
 * decimal string, each digit mapped into the safe alphabet (SafeEncodeString). Salted per
 * cluster so that each run gets fresh names, yet the same template keeps its hash within
 * a run (a Deployment recreated by the addon manager gets the same ReplicaSet name, as on GKE).
 */
export function podTemplateHash(template: unknown, salt: string): string {
	const hash = fnv32a(salt + JSON.stringify(template));
	// Ten digits, as most real hashes have.
	const digits = String(1_000_000_000 + (hash % 8_999_999_999));
	let out = '';
	for (const digit of digits) {
		out += safeAlphabet[(digit.charCodeAt(0) + hash) % safeAlphabet.length];
	}

	return out;
}

export function matchesSelector(labels: Record<string, string> | undefined, selector: Record<string, string> | undefined): boolean {
	if (!selector || Object.keys(selector).length === 0) {
		return false;
	}

	for (const [key, value] of Object.entries(selector)) {
		if (labels?.[key] !== value) {
			return false;
		}
	}

	return true;
}

/** A random delay in [low, high) milliseconds. */
export function between(random: () => number, low: number, high: number): number {
	return Math.round(low + (random() * (high - low)));
}

export function deepEqual(a: unknown, b: unknown): boolean {
	return JSON.stringify(a) === JSON.stringify(b);
}

/** Add `value` to the set under `key`, creating the set on first use. */
export function addToIndex<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
	const set = index.get(key);
	if (set) {
		set.add(value);
	} else {
		index.set(key, new Set([value]));
	}
}

/** Remove `value` from the set under `key`; an emptied set goes too, so keys of objects long gone (label values, owner uids) do not pile up. */
export function removeFromIndex<K, V>(index: Map<K, Set<V>>, key: K, value: V): void {
	const set = index.get(key);
	if (set?.delete(value) && set.size === 0) {
		index.delete(key);
	}
}
