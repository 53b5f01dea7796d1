/** What a form field shows of a value: the text typed last, or the saved value; '' for none. */
export function fieldText(values: object, name: string): string {
	const value = (values as Record<string, unknown>)[name];
	return value === null || value === undefined ? '' : String(value);
}
