import adapter from '@sveltejs/adapter-node';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	compilerOptions: { runes: true },
	kit: {
		adapter: adapter({ out: 'build' }),
		// `npm test` builds beside Vitest (scripts/test.js): the build then writes its generated
		// files in a folder of its own, as a build's differ from those Vite's dev mode writes.
		outDir: process.env.SVELTEKIT_OUT_DIR ?? '.svelte-kit',
		// Pages get a Content-Security-Policy header; 'auto' puts a nonce on the inline scripts
		// SvelteKit writes (a hash on prerendered pages). hooks.server.ts completes connect-src
		// with the realtime origin, a runtime setting, and adds the other security headers.
		csp: {
			mode: 'auto',
			directives: {
				'default-src': ['self'],
				'script-src': ['self'],
				// Svelte writes style attributes (style: directives, transitions); no script may.
				'style-src': ['self', 'unsafe-inline'],
				'img-src': ['self', 'data:'],
				'font-src': ['self'],
				'connect-src': ['self'],
				// The service worker (src/service-worker.ts) and the web app manifest: our own only.
				'worker-src': ['self'],
				'manifest-src': ['self'],
				'object-src': ['none'],
				'base-uri': ['self'],
				'form-action': ['self'],
				'frame-ancestors': ['none']
			}
		},
		typescript: {
			// Scripts, benchmarks and tool configs are type-checked and linted like the app.
			config: (config) => {
				config.include.push(
					'../scripts/**/*.ts',
					'../bench/**/*.ts',
					'../playwright.config.ts',
					'../drizzle.config.ts'
				);
				return config;
			}
		}
	}
};

export default config;
