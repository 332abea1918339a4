import { defineConfig } from 'vite';

// Tauri serves ui/dist as the app's frontend (src-tauri/tauri.conf.json build.frontendDist).
export default defineConfig({
  clearScreen: false,
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  build: {
    target: ['es2021', 'safari15'],
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: false,
  },
});
