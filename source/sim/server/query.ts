// Query parameters read as the API server's parameter codec reads them (apimachinery's
// runtime string conversions, which decode ListOptions, DeleteOptions, PodExecOptions and
// PodLogOptions from the URL): a boolean is false only when absent, "0" or "false" in any
// case, and true for every other value ("True", "1", "t", even ""); an integer is Go's
// strconv.ParseInt, and a value it rejects is a 400 BadRequest carrying its error.
import {ApiError} from './status.js';

/** `?watch=True` is true, as the Python client sends it; `?watch=false` and `?watch=0` are false. */
export function queryBool(query: URLSearchParams, name: string): boolean {
	const value = query.get(name);
	if (value === null) {
		return false;
	}

	return !(value === '0' || value.toLowerCase() === 'false');
}

/** A 64-bit integer, or undefined when absent; anything strconv.ParseInt rejects is a 400. */
export function queryInt(query: URLSearchParams, name: string): number | undefined {
	const value = query.get(name);
	return value === null ? undefined : parseInt64(value);
}

const int64Min = -(2n ** 63n);
const int64Max = 2n ** 63n - 1n;

/** strconv.ParseInt(text, 10, 64), with its error text on failure. */
export function parseInt64(text: string): number {
	if (!/^[+-]?\d+$/.test(text)) {
		throw new ApiError(400, `strconv.ParseInt: parsing ${JSON.stringify(text)}: invalid syntax`);
	}

	const value = BigInt(text);
	if (value < int64Min || value > int64Max) {
		throw new ApiError(400, `strconv.ParseInt: parsing ${JSON.stringify(text)}: value out of range`);
	}

	return Number(value);
}

/** A list or watch request's ListOptions, decoded all at once as the server decodes them: one bad value fails either. */
export type ListOptions = {
	watch: boolean;
	allowWatchBookmarks: boolean;
	labelSelector?: string;
	fieldSelector?: string;
	resourceVersion?: string;
	timeoutSeconds?: number;
	limit: number;
	continue?: string;
};

export function listOptions(query: URLSearchParams): ListOptions {
	return {
		watch: queryBool(query, 'watch'),
		allowWatchBookmarks: queryBool(query, 'allowWatchBookmarks'),
		labelSelector: query.get('labelSelector') ?? undefined,
		fieldSelector: query.get('fieldSelector') ?? undefined,
		resourceVersion: query.get('resourceVersion') ?? undefined,
		timeoutSeconds: queryInt(query, 'timeoutSeconds'),
		limit: queryInt(query, 'limit') ?? 0,
		continue: query.get('continue') ?? undefined,
	};
}
