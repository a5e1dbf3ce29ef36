// The web workspaces: `npx vite` (dev, proxies the API to :8080) or `npx vite build` → web/dist, served by the server.
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

declare const process: { env: Record<string, string | undefined> };

const web = decodeURIComponent(new URL('.', import.meta.url).pathname);
// Where `npx vite` / `npx vite preview` send /api and /docs; JIESU_API_URL=http://localhost:8090 for another port.
const api = process.env.JIESU_API_URL ?? 'http://localhost:8080';

export default defineConfig({
  root: web,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 1200,
    rolldownOptions: {
      output: {
        // Shared chunks are named after their first module ("hooks", "States"); name the antd ones for what they hold.
        chunkFileNames: (chunk) => {
          const ids = chunk.moduleIds;
          if (ids.some((id) => id.includes('@ant-design/cssinjs/'))) return 'assets/antd-core-[hash].js';
          if (ids.some((id) => id.includes('@rc-component/table/'))) return 'assets/antd-table-[hash].js';
          if (ids.some((id) => id.includes('@rc-component/select/'))) return 'assets/antd-select-[hash].js';
          if (ids.some((id) => id.includes('@rc-component/drawer/'))) return 'assets/orders-ui-[hash].js';
          return 'assets/[name]-[hash].js';
        },
        // Name the big shared libraries; everything else splits by workspace (React.lazy routes).
        codeSplitting: {
          groups: [
            { name: 'react', test: /node_modules[\\/](react|react-dom|scheduler|react-router|react-router-dom)[\\/]/ },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor)[\\/]/ },
          ],
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: api, changeOrigin: false },
      '/docs': { target: api },
    },
  },
  preview: {
    proxy: {
      '/api': { target: api },
      '/docs': { target: api },
    },
  },
});
