// A small RFC 4180 reader, as a spreadsheet reads the app's exports: quoted fields may hold
// commas, doubled quotes and newlines; every record ends with CRLF.
export function parseCsv(text: string): string[][] {
	const rows: string[][] = [];
	let row: string[] = [];
	let field = '';
	let quoted = false;
	for (let i = 0; i < text.length; i++) {
		const c = text[i];
		if (quoted) {
			if (c === '"' && text[i + 1] === '"') {
				field += '"';
				i++;
			} else if (c === '"') quoted = false;
			else field += c;
		} else if (c === '"') quoted = true;
		else if (c === ',') {
			row.push(field);
			field = '';
		} else if (c === '\r' && text[i + 1] === '\n') {
			row.push(field);
			rows.push(row);
			row = [];
			field = '';
			i++;
		} else field += c;
	}
	// A file cut short (inside quotes, or a last record without its CRLF) is not valid CSV.
	if (quoted) throw new Error('the CSV ends inside a quoted field');
	if (field !== '' || row.length > 0) throw new Error('the CSV ends without a CRLF');
	return rows;
}
