import assert from 'node:assert/strict';
import {test} from 'node:test';
import {parseInt64, queryBool, queryInt} from '../../../source/sim/server/query.js';
import {ApiError} from '../../../source/sim/server/status.js';

const query = (text: string) => new URLSearchParams(text);

test('booleans as the API server decodes them: false only when absent, 0, or false in any case', () => {
	for (const value of ['true', 'True', 'TRUE', '1', 't', 'T', 'yes', '']) {
		assert.equal(queryBool(query(`watch=${value}`), 'watch'), true, `watch=${value}`);
	}

	for (const value of ['false', 'False', 'FALSE', 'fAlSe', '0']) {
		assert.equal(queryBool(query(`watch=${value}`), 'watch'), false, `watch=${value}`);
	}

	assert.equal(queryBool(query('other=true'), 'watch'), false);
	// The first value counts, as in the server's conversion.
	assert.equal(queryBool(query('watch=0&watch=1'), 'watch'), false);
});

test('integers as strconv.ParseInt: a sign and decimal digits, within 64 bits; anything else a 400 with its error', () => {
	assert.equal(queryInt(query('limit=500'), 'limit'), 500);
	assert.equal(queryInt(query('limit=-3'), 'limit'), -3);
	assert.equal(queryInt(query('limit=%2B7'), 'limit'), 7);
	assert.equal(queryInt(query('limit=007'), 'limit'), 7);
	assert.equal(queryInt(query(''), 'limit'), undefined);
	const rejects = (text: string, message: string) =>
		assert.throws(() => parseInt64(text), (error: unknown) => error instanceof ApiError && error.code === 400 && error.reason === 'BadRequest' && error.message === message, text);
	rejects('abc', 'strconv.ParseInt: parsing "abc": invalid syntax');
	rejects('', 'strconv.ParseInt: parsing "": invalid syntax');
	rejects('1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax');
	rejects(' 1', 'strconv.ParseInt: parsing " 1": invalid syntax');
	rejects('0x10', 'strconv.ParseInt: parsing "0x10": invalid syntax');
	rejects('9223372036854775808', 'strconv.ParseInt: parsing "9223372036854775808": value out of range');
	assert.equal(parseInt64('-9223372036854775808'), -9223372036854775808);
});
