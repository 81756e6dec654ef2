# Stage 1 of the seed's build: the builder image (srvthreds/builder), with every build artifact.
# Built from the workspace folder that holds both checkouts (srvthreds/ and thredlib/): the
# seed's `COPY --from=thredlib` needs a named build context (Compose `additional_contexts`),
# which cdk-compose does not render (see ../README.md, Gaps).
FROM node:20-alpine AS builder
WORKDIR /app

# Copy both repositories
COPY thredlib/ ./thredlib/
COPY srvthreds/ ./srvthreds/

# Build thredlib
WORKDIR /app/thredlib
RUN npm ci && npm run build-all

# Build srvthreds
WORKDIR /app/srvthreds
RUN npm ci && npm run build

# Copy runtime configs
COPY srvthreds/run-profiles/ ./dist-server/run-profiles/
COPY srvthreds/deploy/tools/deployment-cli/assets/*.* ./dist-server/
