import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import * as m from '../../src/lib/paraglide/messages';
import { locales } from '../../src/lib/paraglide/runtime';
import {
	formatDateTime,
	normalizeAcceptLanguage,
	normalizeLanguageTag,
	safeRedirectPath
} from '../../src/lib/i18n';

const load = (locale: string): Record<string, string> => {
	const raw = JSON.parse(readFileSync(`messages/${locale}.json`, 'utf8')) as Record<string, string>;
	delete raw.$schema;
	return raw;
};
const zh = load('zh-CN');
const en = load('en');
const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((x) => x[1]).sort();

describe('message catalogues', () => {
	it('have the same keys in zh-CN and en', () => {
		expect(Object.keys(en).sort()).toEqual(Object.keys(zh).sort());
	});

	it('have no empty message and the same placeholders in both languages', () => {
		for (const key of Object.keys(zh)) {
			expect(zh[key].trim(), key).not.toBe('');
			expect(en[key].trim(), key).not.toBe('');
			expect(placeholders(en[key]), key).toEqual(placeholders(zh[key]));
		}
	});

	it('are compiled: every key is a message function in both locales', () => {
		const compiled = m as unknown as Record<string, (i?: object, o?: object) => string>;
		expect(locales).toEqual(['zh-CN', 'en']);
		for (const key of Object.keys(zh)) {
			expect(typeof compiled[key], key).toBe('function');
			expect(compiled[key]({ seconds: 1, id: 'x' }, { locale: 'en' })).not.toBe('');
		}
		expect(m.app_name({}, { locale: 'zh-CN' })).toBe('同行');
		expect(m.app_name({}, { locale: 'en' })).toBe('Tongxing');
	});
});

describe('locale negotiation', () => {
	it('counts every zh tag as zh-CN', () => {
		for (const tag of ['zh', 'zh-Hans', 'zh-TW', 'zh_HK', 'ZH-cn', 'zh-Hant-TW']) {
			expect(normalizeLanguageTag(tag)).toBe('zh-CN');
		}
		expect(normalizeLanguageTag('en-GB')).toBe('en-GB');
		expect(normalizeLanguageTag('zu')).toBe('zu');
		expect(normalizeAcceptLanguage('zh-TW,zh;q=0.9,en-US;q=0.8')).toBe(
			'zh-CN,zh-CN;q=0.9,en-US;q=0.8'
		);
		expect(normalizeAcceptLanguage(null)).toBeNull();
	});
});

describe('formatting', () => {
	it('formats in the event time zone, defaulting to Asia/Shanghai', () => {
		const instant = '2026-07-15T01:30:00Z';
		expect(formatDateTime(instant, 'en', undefined, { timeStyle: 'short' })).toBe('9:30 AM');
		expect(formatDateTime(instant, 'en', 'UTC', { timeStyle: 'short', hour12: false })).toBe(
			'01:30'
		);
		expect(formatDateTime(instant, 'zh-CN', undefined, { dateStyle: 'long' })).toBe(
			'2026年7月15日'
		);
	});

	it('only redirects to a path on this site', () => {
		expect(safeRedirectPath('/teams?x=1')).toBe('/teams?x=1');
		expect(safeRedirectPath('//evil.example')).toBe('/');
		expect(safeRedirectPath('https://evil.example')).toBe('/');
		expect(safeRedirectPath('/\\evil.example')).toBe('/');
		expect(safeRedirectPath(undefined, '/home')).toBe('/home');
	});
});
