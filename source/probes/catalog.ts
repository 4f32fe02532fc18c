// Every probe layer in one table: its name, where it stands on the guestbook path, how the
// panel and the reports call it and rank it, and which component's own job it shows. The
// layer type, the path order, the labels and the function-probe mapping are all read from
// here, so a new layer is one entry (plus its probe function and its simulator behaviour).
// Pure data: the model reads it too, so nothing here may import probe runtime code.

type LayerEntry = {
	/** How sentences, the panel and the reports name it. */
	label: string;
	/** The compact panel's label column (at most 12 characters). */
	shortLabel: string;
	/**
	 * On the guestbook path: a request crosses it, in the order of this table. The other layers
	 * are function probes: shown and measured, but they do not decide whether the app is up.
	 */
	onPath: boolean;
	/**
	 * Its probe only asks the API server (listing Endpoints): when it times out, it is the API
	 * server that does not answer, not the app.
	 */
	asksOnlyApiServer: boolean;
	/** The compact panel gives history strips to healthy layers lowest rank first (broken ones always come first). */
	compactRank: number;
	/** The components whose own job this layer shows: killing one, this is its function probe. */
	isFunctionOf?: (component: string) => boolean;
};

const catalog = {
	'frontend-endpoints': {label: 'frontend endpoints', shortLabel: 'frontend', onPath: true, asksOnlyApiServer: true, compactRank: 4},
	'redis-endpoints': {label: 'redis endpoints', shortLabel: 'redis', onPath: true, asksOnlyApiServer: true, compactRank: 4},
	dns: {
		label: 'DNS',
		shortLabel: 'DNS',
		onPath: true,
		asksOnlyApiServer: false,
		compactRank: 3,
		isFunctionOf: component => component === 'kube-dns' || component === 'coredns',
	},
	'end-to-end': {label: 'end-to-end', shortLabel: 'e2e', onPath: true, asksOnlyApiServer: false, compactRank: 2},
	'metrics-api': {
		label: 'metrics API',
		shortLabel: 'metrics',
		onPath: false,
		asksOnlyApiServer: false,
		compactRank: 4,
		isFunctionOf: component => component.startsWith('metrics-server'),
	},
} satisfies Record<string, LayerEntry>;

/** The layers of the guestbook path, in the order a request crosses them, plus function probes. */
export type ProbeLayer = keyof typeof catalog;

export const probeCatalog: Readonly<Record<ProbeLayer, Readonly<LayerEntry>>> = catalog;

/** Every layer, in display order (the table's). */
export const probeLayers: readonly ProbeLayer[] = Object.keys(catalog) as ProbeLayer[];

/** The layers of the guestbook path, in the order a request crosses them. */
export const pathLayers: readonly ProbeLayer[] = probeLayers.filter(layer => catalog[layer].onPath);

export function layerLabel(layer: ProbeLayer): string {
	return probeCatalog[layer].label;
}

export function shortLayerLabel(layer: ProbeLayer): string {
	return probeCatalog[layer].shortLabel;
}

/** The function probe that shows whether this component's own job is done. */
export function functionLayerOf(component: string): ProbeLayer | undefined {
	return probeLayers.find(layer => probeCatalog[layer].isFunctionOf?.(component));
}

/** `layers` in display order, each once. */
export function inDisplayOrder(layers: Iterable<ProbeLayer>): ProbeLayer[] {
	const wanted = new Set(layers);
	return probeLayers.filter(layer => wanted.has(layer));
}
