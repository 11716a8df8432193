# syntax=docker/dockerfile:1
# infracrew: the `crew` CLI, `crew serve` (Slack) and `crew worker` (agents).
#   docker build -t ghcr.io/infracrew/infracrew:0.1.0 .
# Terraform comes from an image named by TERRAFORM_IMAGE (HashiCorp's official one by
# default); an air-gapped site points it at its own registry mirror.

ARG NODE_IMAGE=node:20-bookworm-slim
ARG TERRAFORM_IMAGE=hashicorp/terraform:1.11.4

FROM ${TERRAFORM_IMAGE} AS terraform

FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY handlers ./handlers
COPY contracts ./contracts
COPY bench ./bench
COPY scripts/bundle-cli.mjs ./scripts/bundle-cli.mjs
RUN npm run build && npm prune --omit=dev --no-audit --no-fund

FROM node:20-bookworm-slim AS runtime
# Terraform's providers verify TLS with the system store; Node brings its own.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
COPY --from=terraform /bin/terraform /usr/local/bin/terraform
WORKDIR /app
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY bin ./bin
# Read at run time: blueprint modules, playbooks, the Slack app manifest.
COPY terraform ./terraform
COPY playbooks ./playbooks
COPY manifests ./manifests
RUN mkdir -p /data && chown 1000:1000 /data
ENV NODE_ENV=production \
    CREW_DATA_DIR=/data \
    HOME=/tmp
# Numeric, so Kubernetes can verify runAsNonRoot; uid 1000 is the image's `node` user.
USER 1000:1000
ENTRYPOINT ["node","bin/crew.js"]
CMD ["--help"]
