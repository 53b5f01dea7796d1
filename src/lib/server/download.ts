// The answer of an export endpoint: a file the browser saves under its name, which no shared
// cache may keep (every export holds a team's or a person's data).
import { attachment } from './csv';

export interface DownloadFile {
	filename: string;
	body: string;
}

export function download(
	{ filename, body }: DownloadFile,
	type: string,
	headers: Record<string, string> = {}
): Response {
	return new Response(body, {
		headers: {
			'content-type': `${type}; charset=utf-8`,
			'content-disposition': attachment(filename),
			'cache-control': 'private, no-store',
			...headers
		}
	});
}
