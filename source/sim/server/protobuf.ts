// Just enough protobuf to read what `kubectl auth can-i` posts: a SelfSubjectAccessReview in
// the Kubernetes envelope ("k8s\0" + runtime.Unknown{raw}). Only length-delimited and varint
// fields are walked; everything else is skipped.
import {ApiError} from './status.js';

type Fields = Map<number, Buffer[]>;

function readVarint(buffer: Buffer, offset: number): [value: number, next: number] {
	let value = 0;
	let shift = 0;
	for (;;) {
		if (offset >= buffer.length) {
			throw new ApiError(400, 'the protobuf body ends inside a varint');
		}

		const byte = buffer[offset++];
		value += (byte & 0x7F) * 2 ** shift;
		if ((byte & 0x80) === 0) {
			return [value, offset];
		}

		shift += 7;
	}
}

/** The length-delimited fields of a message, by field number. */
function fields(buffer: Buffer): Fields {
	const result: Fields = new Map();
	let offset = 0;
	while (offset < buffer.length) {
		let key: number;
		[key, offset] = readVarint(buffer, offset);
		const field = Math.floor(key / 8);
		switch (key & 7) {
			case 0: {
				[, offset] = readVarint(buffer, offset);
				break;
			}

			case 1: {
				offset += 8;
				break;
			}

			case 2: {
				let length: number;
				[length, offset] = readVarint(buffer, offset);
				const value = buffer.subarray(offset, offset + length);
				offset += length;
				result.set(field, [...(result.get(field) ?? []), value]);
				break;
			}

			case 5: {
				offset += 4;
				break;
			}

			default: {
				throw new ApiError(400, 'the protobuf body uses a wire type the simulator does not read');
			}
		}
	}

	return result;
}

const text = (message: Fields, field: number): string | undefined => message.get(field)?.[0]?.toString('utf8');

/** The `spec` of a protobuf SelfSubjectAccessReview, as its JSON form would have it. */
export function decodeAccessReviewSpec(body: Buffer): {resourceAttributes?: Record<string, string>} {
	const magic = Buffer.from('k8s\0', 'latin1');
	if (!body.subarray(0, 4).equals(magic)) {
		throw new ApiError(400, 'the protobuf body lacks the k8s envelope');
	}

	const raw = fields(body.subarray(4)).get(2)?.[0];
	const spec = raw && fields(raw).get(2)?.[0];
	const attributes = spec && fields(spec).get(1)?.[0];
	if (!attributes) {
		return {};
	}

	const parsed = fields(attributes);
	const names = ['', 'namespace', 'verb', 'group', 'version', 'resource', 'subresource', 'name'];
	const resourceAttributes: Record<string, string> = {};
	for (let field = 1; field < names.length; field++) {
		const value = text(parsed, field);
		if (value !== undefined) {
			resourceAttributes[names[field]] = value;
		}
	}

	return {resourceAttributes};
}
