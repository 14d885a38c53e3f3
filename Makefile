# asibot: two commands for a fresh clone — `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cksum pyproject.toml | cut -d' ' -f1)

.PHONY: install run test lint check-content browser clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	rm -f $(VENV)/.installed-*
	touch $(STAMP)

install: $(STAMP)

## make run: migrate the embedded SQLite database, load a demo puskesmas, serve on :8000
run: install
	$(BIN)/asibot db upgrade
	$(BIN)/asibot demo-data
	$(BIN)/asibot serve --host 127.0.0.1 --port 8000

## make test: the content check, the linters and the whole suite (SQLite and PostgreSQL)
test: install
	$(BIN)/asibot content check
	$(BIN)/ruff check .
	$(BIN)/pytest

lint: install
	$(BIN)/ruff check .
	$(BIN)/mypy bot flows messages scheduler db
	$(BIN)/hadolint Dockerfile

clean:
	rm -rf $(VENV) *.egg-info .pytest_cache .mypy_cache .ruff_cache
