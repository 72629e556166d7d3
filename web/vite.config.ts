import { defineConfig } from "vitest/config"
import react from "@vitejs/plugin-react"

// The app is served on port 3000 (scripts/dev.sh); `vite build` writes web/dist.
export default defineConfig({
  plugins: [react()],
  server: { port: 3000, host: "127.0.0.1", strictPort: true },
  preview: { port: 3000, host: "127.0.0.1", strictPort: true },
  build: { target: "es2022", chunkSizeWarningLimit: 1024 },
  test: { include: ["src/**/*.test.ts"] },
})
