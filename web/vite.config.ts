import { defineConfig } from 'vite';

/**
 * The web client: web/index.html → web/dist, served by the Worker as static
 * assets (wrangler.toml [assets]). web/public is copied as is, so the
 * security headers file (_headers) lands in dist/.
 */
export default defineConfig({
  root: import.meta.dirname,
  publicDir: 'public',
  // Preact's automatic JSX runtime; no React anywhere.
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // No data: URIs: the CSP allows images and fonts from 'self' only.
    assetsInlineLimit: 0,
    // Every browser that runs this app supports modulepreload; the polyfill would be dead code.
    modulePreload: { polyfill: false },
    reportCompressedSize: false,
  },
});
