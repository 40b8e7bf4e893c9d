# The lineage service (GraphQL at /graphql) for docker-compose.yml: python:3.11-slim, the
# package installed from this checkout, serving on all interfaces of the container.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

WORKDIR /app
COPY . .
# Editable, so the store finds its queries in /app/cypher next to the package.
RUN pip install --editable . \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin lineage
USER lineage

EXPOSE 8000
# Create the Neo4j schema, load the examples as `make run` does (re-importing is idempotent),
# then serve.
# --host 0.0.0.0 only here, inside the container; compose publishes the port on 127.0.0.1.
CMD ["sh", "-c", "lineage neo4j init && lineage import yaml examples/ && lineage import c4 examples/docs/ && exec lineage serve --host 0.0.0.0"]
