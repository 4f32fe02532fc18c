// The little of `sh -c` the simulated containers and hosts understand: words with quotes,
// and commands joined by &&, || and ; (no pipes, no substitutions).

/** Split a script into commands and the operator after each (quotes honoured; no pipes or substitutions). */
export function scriptSteps(script: string): Array<{words: string[]; then?: '&&' | '||' | ';'}> {
	const steps: Array<{words: string[]; then?: '&&' | '||' | ';'}> = [];
	let words: string[] = [];
	let current = '';
	let started = false;
	let quote: string | undefined;
	const endWord = () => {
		if (started) {
			words.push(current);
		}

		current = '';
		started = false;
	};

	for (let index = 0; index < script.length; index++) {
		const char = script[index];
		if (quote) {
			if (char === quote) {
				quote = undefined;
			} else {
				current += char;
			}
		} else if (char === '"' || char === '\'') {
			quote = char;
			started = true;
		} else if ((char === '&' || char === '|') && script[index + 1] === char) {
			endWord();
			steps.push({words, then: char === '&' ? '&&' : '||'});
			words = [];
			index++;
		} else if (char === ';' || char === '\n') {
			endWord();
			steps.push({words, then: ';'});
			words = [];
		} else if (/\s/.test(char)) {
			endWord();
		} else {
			current += char;
			started = true;
		}
	}

	endWord();
	steps.push({words});
	return steps;
}
