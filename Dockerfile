# syntax=docker/dockerfile:1
# The library gateway: `docker build -t ils-gateway .` then
#   docker run -p 8000:8000 -e GATEWAY_ENV=production -e GATEWAY_SECRET_KEY=... \
#     -e GATEWAY_ILS_SIP2_ADDRESS=ils:6001 -e GATEWAY_ILS_SOAP_WSDL=http://ils:8001/ils?wsdl ils-gateway
# Demo (embedded reference ILS): docker run -p 8000:8000 ils-gateway ils-gateway serve --host 0.0.0.0 --demo

# ---- build: the virtualenv with the gateway, and the GraphiQL assets from the npm registry
FROM python:3.11-slim AS build
# npm only in this stage (for `npm pack`); the runtime image has no Node.js.
COPY --from=node:20-slim /usr/local/bin/node /usr/local/bin/node
COPY --from=node:20-slim /usr/local/lib/node_modules/npm /usr/local/lib/node_modules/npm
RUN ln -s /usr/local/lib/node_modules/npm/bin/npm-cli.js /usr/local/bin/npm
WORKDIR /src
COPY pyproject.toml README.md ./
COPY adapters adapters
COPY emulator emulator
COPY gateway gateway
COPY schema schema
RUN python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir --upgrade pip \
 && /opt/venv/bin/pip install --no-cache-dir '.[postgres,redis]' \
 && /opt/venv/bin/python -m gateway.assets --dest /opt/graphiql

# ---- runtime: no compiler, no npm, no source tree; a non-root user
FROM python:3.11-slim
RUN useradd --system --uid 10001 --create-home --home-dir /app gateway \
 && mkdir -p /app/data && chown gateway:gateway /app/data
COPY --from=build /opt/venv /opt/venv
COPY --from=build /opt/graphiql /opt/graphiql
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    GATEWAY_GRAPHIQL_ASSETS_DIR=/opt/graphiql \
    GATEWAY_DATABASE_URL=sqlite+aiosqlite:////app/data/gateway.sqlite
WORKDIR /app
USER gateway
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4)"]
CMD ["ils-gateway", "serve", "--host", "0.0.0.0", "--port", "8000"]
