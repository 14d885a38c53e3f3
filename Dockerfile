# syntax=docker/dockerfile:1
# Build stage: a virtual environment with asibot and its pinned dependencies.
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/asibot
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY flows ./flows
COPY messages ./messages
COPY scheduler ./scheduler
COPY db ./db
RUN /opt/asibot/bin/pip install --no-cache-dir .

# Run stage: only the environment, as an unprivileged user.
FROM python:3.11-slim
RUN useradd --create-home --uid 10001 asibot
COPY --from=build /opt/asibot /opt/asibot
ENV PATH="/opt/asibot/bin:$PATH" \
    PYTHONUNBUFFERED=1 \
    DATABASE_URL="sqlite+aiosqlite:////home/asibot/data/asibot.db"
USER asibot
WORKDIR /home/asibot
RUN mkdir -p /home/asibot/data
# the embedded SQLite database lives here when no DATABASE_URL points elsewhere
VOLUME ["/home/asibot/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status == 200 else 1)"]
CMD ["sh", "-c", "asibot db upgrade && exec asibot serve --host 0.0.0.0 --port 8000"]
