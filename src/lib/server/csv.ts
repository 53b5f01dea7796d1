// CSV as spreadsheet software reads Chinese text: UTF-8 with a byte-order mark (without it,
// Excel on Chinese Windows guesses GBK and shows mojibake), CRLF line ends, RFC 4180 quoting.
// Cells that a spreadsheet would run as a formula are defused with a leading apostrophe.

export const BOM = '\uFEFF';

function cell(value: string | number | null): string {
	if (value === null) return '';
	if (typeof value === 'number') return String(value);
	const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
	return /[",\r\n]/.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

export function toCsv(rows: readonly (readonly (string | number | null)[])[]): string {
	return BOM + rows.map((row) => row.map(cell).join(',')).join('\r\n') + '\r\n';
}

/** A download name such as `捐赠-2030-07-12.csv`, for Content-Disposition (RFC 6266/5987). */
export function attachment(name: string): string {
	const ascii = name.replace(/[^\x20-\x7e]/g, '_').replaceAll('"', '');
	return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
