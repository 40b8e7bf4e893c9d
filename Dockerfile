# The lineage service (GraphQL at /graphql) for docker-compose.yml: python:3.11-slim with the
# wheel built from this checkout installed, serving on all interfaces of the container.
FROM python:3.11-slim AS wheel
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY lineage lineage
COPY importers importers
COPY cypher cypher
RUN pip wheel --no-deps --wheel-dir /dist .

FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
COPY --from=wheel /dist /dist
RUN pip install /dist/*.whl && rm -rf /dist \
    && useradd --system --home-dir /app --shell /usr/sbin/nologin lineage
WORKDIR /app
# Only the example data: the code comes from the installed wheel.
COPY examples examples
USER lineage

EXPOSE 8000
# Create the Neo4j schema, load the examples as `make run` does (re-importing is idempotent),
# then serve.
# --host 0.0.0.0 only here, inside the container; compose publishes the port on 127.0.0.1.
CMD ["sh", "-c", "lineage neo4j init && lineage import yaml examples/ && lineage import c4 examples/docs/ && exec lineage serve --host 0.0.0.0"]
