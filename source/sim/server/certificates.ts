// The certificates `knockdown sim --tls` serves with: a CA made at start, a server certificate
// it signs for the addresses the sim is reached by, and a client certificate it signs for the
// kubeconfig. Node's crypto makes the keys (ECDSA P-256) and the signatures; it cannot write
// an X.509 certificate, so the few DER structures of RFC 5280 that one needs are encoded
// here rather than pulled in with a certificate library (node-forge alone is ~1.6 MB, RSA
// only, and would be the sim's one dependency). kubectl (Go's crypto/x509), Node's TLS and
// OpenSSL all check what this writes: see test/sim/server/tls.test.ts.
import {createHash, generateKeyPairSync, randomBytes, sign, type KeyObject} from 'node:crypto';
import {isIP} from 'node:net';

export type SimCertificates = {
	/** PEM: the CA that signed both certificates; the kubeconfig's certificate-authority-data. */
	ca: string;
	server: {certificate: string; key: string};
	/** A client certificate (CN knockdown, O system:masters) the sim accepts as a credential. */
	client: {certificate: string; key: string};
};

/** Certificates for a sim reached at `host` (also valid for localhost, 127.0.0.1 and ::1). */
export function makeSimCertificates(host: string, now = new Date()): SimCertificates {
	const ca = newKey();
	const caName = distinguishedName('knockdown-sim-ca');
	const caCertificate = certificate({
		subject: caName,
		issuer: caName,
		subjectKey: ca.publicKey,
		signingKey: ca.privateKey,
		issuerKeyId: keyId(ca.publicKey),
		now,
		extensions: [
			extension(oid.basicConstraints, true, sequence(boolean(true))),
			extension(oid.keyUsage, true, keyUsage(keyUsageBits.digitalSignature | keyUsageBits.keyCertSign | keyUsageBits.cRLSign)),
		],
	});

	const leaf = (subject: Buffer, purpose: Buffer, more: Buffer[]) => {
		const key = newKey();
		const pem = certificate({
			subject,
			issuer: caName,
			subjectKey: key.publicKey,
			signingKey: ca.privateKey,
			issuerKeyId: keyId(ca.publicKey),
			now,
			extensions: [
				extension(oid.basicConstraints, true, sequence()),
				extension(oid.keyUsage, true, keyUsage(keyUsageBits.digitalSignature)),
				extension(oid.extKeyUsage, false, sequence(purpose)),
				...more,
			],
		});
		return {certificate: pem, key: key.privateKey.export({type: 'pkcs8', format: 'pem'}).toString()};
	};

	const names = [...new Set([host, 'localhost', '127.0.0.1', '::1'])];
	return {
		ca: caCertificate,
		server: leaf(distinguishedName('knockdown-sim'), objectId(oid.serverAuth), [extension(oid.subjectAltName, false, sequence(...names.map(generalName)))]),
		client: leaf(distinguishedName('knockdown', 'system:masters'), objectId(oid.clientAuth), []),
	};
}

function newKey(): {publicKey: KeyObject; privateKey: KeyObject} {
	return generateKeyPairSync('ec', {namedCurve: 'prime256v1'});
}

const oid = {
	commonName: '2.5.4.3',
	organization: '2.5.4.10',
	ecdsaWithSha256: '1.2.840.10045.4.3.2',
	basicConstraints: '2.5.29.19',
	keyUsage: '2.5.29.15',
	extKeyUsage: '2.5.29.37',
	subjectAltName: '2.5.29.17',
	subjectKeyId: '2.5.29.14',
	authorityKeyId: '2.5.29.35',
	serverAuth: '1.3.6.1.5.5.7.3.1',
	clientAuth: '1.3.6.1.5.5.7.3.2',
};

// KeyUsage bits, numbered from the most significant bit of the first byte.
const keyUsageBits = {digitalSignature: 0x80, keyCertSign: 0x04, cRLSign: 0x02};

type CertificateFields = {
	subject: Buffer;
	issuer: Buffer;
	subjectKey: KeyObject;
	signingKey: KeyObject;
	issuerKeyId: Buffer;
	now: Date;
	extensions: Buffer[];
};

function certificate(fields: CertificateFields): string {
	const serial = randomBytes(16);
	serial[0] &= 0x7f; // a positive INTEGER
	const algorithm = sequence(objectId(oid.ecdsaWithSha256));
	const notBefore = new Date(fields.now.getTime() - 60 * 60 * 1000); // an hour of clock skew
	const notAfter = new Date(fields.now.getTime() + 365 * 24 * 60 * 60 * 1000);
	const subjectKeyInfo = fields.subjectKey.export({type: 'spki', format: 'der'});
	const tbs = sequence(
		tlv(0xa0, integer(Buffer.from([2]))), // v3
		integer(serial),
		algorithm,
		fields.issuer,
		sequence(time(notBefore), time(notAfter)),
		fields.subject,
		subjectKeyInfo,
		tlv(0xa3, sequence(
			...fields.extensions,
			extension(oid.subjectKeyId, false, octetString(keyId(fields.subjectKey))),
			extension(oid.authorityKeyId, false, sequence(tlv(0x80, fields.issuerKeyId))),
		)),
	);
	const signature = sign('sha256', tbs, fields.signingKey); // ECDSA: DER-encoded (r, s)
	const der = sequence(tbs, algorithm, bitString(signature));
	const lines = der.toString('base64').match(/.{1,64}/g)!;
	return `-----BEGIN CERTIFICATE-----\n${lines.join('\n')}\n-----END CERTIFICATE-----\n`;
}

/** The key identifier RFC 5280 suggests: SHA-1 of the public key's bits (here of the whole SPKI; any stable digest will do). */
function keyId(key: KeyObject): Buffer {
	return createHash('sha1').update(key.export({type: 'spki', format: 'der'})).digest();
}

function distinguishedName(commonName: string, organization?: string): Buffer {
	const attribute = (type: string, value: string) => set(sequence(objectId(type), tlv(0x0c, Buffer.from(value, 'utf8'))));
	return sequence(...(organization ? [attribute(oid.organization, organization)] : []), attribute(oid.commonName, commonName));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
	return sequence(objectId(id), ...(critical ? [boolean(true)] : []), octetString(value));
}

function keyUsage(bits: number): Buffer {
	// DER: trailing zero bits of a named bit list are dropped and counted as unused.
	let unused = 0;
	while (unused < 7 && (bits & (1 << unused)) === 0) {
		unused++;
	}

	return tlv(0x03, Buffer.from([unused, bits]));
}

/** A subjectAltName entry: iPAddress [7] for an address, dNSName [2] for a name. */
function generalName(name: string): Buffer {
	const family = isIP(name);
	if (family === 4) {
		return tlv(0x87, Buffer.from(name.split('.').map(Number)));
	}

	if (family === 6) {
		return tlv(0x87, ipv6Bytes(name));
	}

	return tlv(0x82, Buffer.from(name, 'ascii'));
}

function ipv6Bytes(address: string): Buffer {
	const [head, tail = ''] = address.split('::');
	const groups = (part: string) => part.split(':').filter(Boolean).map(group => Number.parseInt(group, 16));
	const left = groups(head);
	const right = address.includes('::') ? groups(tail) : [];
	const all = [...left, ...Array.from({length: 8 - left.length - right.length}, () => 0), ...right];
	const bytes = Buffer.alloc(16);
	all.forEach((group, index) => bytes.writeUInt16BE(group, index * 2));
	return bytes;
}

// ---- DER --------------------------------------------------------------------------------

function tlv(tag: number, content: Buffer): Buffer {
	const length = content.length;
	if (length < 0x80) {
		return Buffer.concat([Buffer.from([tag, length]), content]);
	}

	const lengthBytes: number[] = [];
	for (let rest = length; rest > 0; rest = Math.floor(rest / 256)) {
		lengthBytes.unshift(rest % 256);
	}

	return Buffer.concat([Buffer.from([tag, 0x80 | lengthBytes.length, ...lengthBytes]), content]);
}

function sequence(...items: Buffer[]): Buffer {
	return tlv(0x30, Buffer.concat(items));
}

function set(...items: Buffer[]): Buffer {
	return tlv(0x31, Buffer.concat(items));
}

function boolean(value: boolean): Buffer {
	return tlv(0x01, Buffer.from([value ? 0xff : 0]));
}

function integer(bytes: Buffer): Buffer {
	// Positive: a leading zero byte when the top bit is set; no superfluous leading zeros.
	let start = 0;
	while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1] & 0x80) === 0) {
		start++;
	}

	const trimmed = bytes.subarray(start);
	return tlv(0x02, (trimmed[0] & 0x80) === 0 ? trimmed : Buffer.concat([Buffer.from([0]), trimmed]));
}

function octetString(bytes: Buffer): Buffer {
	return tlv(0x04, bytes);
}

function bitString(bytes: Buffer): Buffer {
	return tlv(0x03, Buffer.concat([Buffer.from([0]), bytes]));
}

function objectId(dotted: string): Buffer {
	const [first, second, ...rest] = dotted.split('.').map(Number);
	const bytes = [first * 40 + second];
	for (const arc of rest) {
		const base128 = [arc & 0x7f];
		for (let value = arc >>> 7; value > 0; value >>>= 7) {
			base128.unshift((value & 0x7f) | 0x80);
		}

		bytes.push(...base128);
	}

	return tlv(0x06, Buffer.from(bytes));
}

/** UTCTime until 2049, GeneralizedTime from 2050 on, as RFC 5280 asks. */
function time(date: Date): Buffer {
	const iso = date.toISOString().replaceAll(/[-:T]/g, '').slice(0, 14) + 'Z'; // YYYYMMDDHHMMSSZ
	return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(iso.slice(2), 'ascii')) : tlv(0x18, Buffer.from(iso, 'ascii'));
}
