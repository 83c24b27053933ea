import { resolve } from 'node:path'
import { defineConfig } from 'vite'

const here = import.meta.dirname

// Two pages: the client (every client route is answered with index.html by the gateway) and the
// API reference at /docs. Everything is built into static files; nothing is fetched at run time.
export default defineConfig({
  root: here,
  base: '/',
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: resolve(here, 'dist'),
    emptyOutDir: true,
    target: 'es2022',
    // No inline scripts or styles: the client's Content-Security-Policy allows only 'self'.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    rollupOptions: {
      input: {
        app: resolve(here, 'index.html'),
        docs: resolve(here, 'docs/index.html'),
      },
    },
  },
})
