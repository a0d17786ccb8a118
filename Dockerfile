# shipper-server: receives log datagrams on UDP and prints each entry as one NDJSON line.
#
#   docker build --network host -t udp-log-shipper-server .
#   docker run --rm -p 9999:9999/udp udp-log-shipper-server
#
# Node 22 is the LTS line this image is pinned to (the package itself runs on Node >= 20).

# --- build: full dependencies, TypeScript compiled to dist/ ---------------------------------
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: the `prepare` script builds, and the sources are not copied yet.
RUN npm ci --ignore-scripts --no-audit --no-fund --no-update-notifier
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY scripts/bundle.mjs ./scripts/
RUN npm run build

# --- runtime: production dependencies, compiled code, non-root ------------------------------
FROM node:22-bookworm-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund --no-update-notifier && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY bin ./bin
# The application files stay owned by root: the process can read them, not change them.
USER node

# Defaults of the command, set here so `docker inspect` shows them; the server listens on every
# interface of the container, on the port the image exposes.
ENV SERVER_HOST=0.0.0.0 \
    SERVER_PORT=9999
EXPOSE 9999/udp
# Prometheus metrics, when started with --metrics-port 9464 --metrics-host 0.0.0.0 (as compose does).
EXPOSE 9464/tcp

# Healthy once the UDP port is bound: its local address shows in the kernel's socket table.
# To listen elsewhere, set SERVER_PORT (not --port) so that this check follows.
HEALTHCHECK --interval=2s --timeout=2s --start-period=10s --retries=5 \
  CMD grep -qsE "^ *[0-9]+: [0-9A-F]+:$(printf %04X "$SERVER_PORT") " /proc/net/udp /proc/net/udp6

# Exec form: node is PID 1 and receives `docker stop`'s SIGTERM itself. The server handles
# SIGTERM and SIGINT (print the summary, exit 0), and it starts no child processes, so there
# are no orphans to reap: no init process is needed (`docker run --init` also works).
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "/app/bin/shipper-server.js"]
CMD []
