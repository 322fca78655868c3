# syntax=docker/dockerfile:1
# parley node image: one Socket.IO node, `node dist/main.js`.
# docker-compose.yml runs three of these behind nginx; see docs/deployment.md.

# --- build: full dependencies, compile TypeScript into dist/ ---------------
FROM node:20-slim AS build
WORKDIR /app
# Dependencies first, so editing the source does not re-run npm ci.
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
RUN npm run build

# --- runtime: production dependencies and dist/ only ------------------------
FROM node:20-slim AS runtime
ENV NODE_ENV=production \
    PORT=3001
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist

# The node image ships the unprivileged user "node"; nothing here needs root.
USER node
EXPOSE 3001

# /health answers 503 when Redis is unreachable, so the container turns
# unhealthy and compose holds back the services that depend on it. The image
# has no curl; node's fetch does the request.
HEALTHCHECK --interval=10s --timeout=3s --start-period=15s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3001) + '/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# SIGTERM goes straight to node (no shell in between), which drains and exits.
STOPSIGNAL SIGTERM
CMD ["node", "dist/main.js"]
