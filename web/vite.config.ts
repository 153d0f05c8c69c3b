import { sveltekit } from '@sveltejs/kit/vite';
import { svelteTesting } from '@testing-library/svelte/vite';
import { defineConfig } from 'vitest/config';

// `npm run dev -w web`: Vite with hot reload, proxying the API (start it with `npm run dev`).
const api = process.env.BRIGHTRUN_API_URL ?? 'http://127.0.0.1:4000';

export default defineConfig({
  // svelteTesting: only under vitest (browser build of Svelte for the component tests, cleanup after each).
  plugins: [sveltekit(), svelteTesting()],
  server: {
    proxy: {
      '/graphql': { target: api, ws: true, changeOrigin: false },
      '/auth': { target: api },
      '/files': { target: api },
      '/healthz': { target: api },
      '/readyz': { target: api },
    },
  },
  build: { target: 'es2022', reportCompressedSize: true },
  test: {
    include: ['src/**/*.test.ts'],
    environment: 'happy-dom',
  },
});
