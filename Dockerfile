# The API as it runs in production: migrated at start, seeds loaded, served by uvicorn.
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /srv/peacetrack
COPY pyproject.toml README.md alembic.ini ./
COPY app ./app
COPY alembic ./alembic
COPY seeds ./seeds
RUN pip install --no-cache-dir .
EXPOSE 8000
CMD ["sh", "-c", "peacetrack migrate && peacetrack load seeds && peacetrack serve --host 0.0.0.0 --port 8000 --no-access-log"]
