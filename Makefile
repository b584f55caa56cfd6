# Gaoku: `make run` starts the site on SQLite with demo content; `make test` runs the suite; `make lint` runs ruff.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
ADDR ?= 127.0.0.1:8000

.PHONY: run test lint install migrate demo worker serve clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(BIN)/python manage.py migrate --noinput

# Imports the page texts in fixtures/pages, publishes them, creates the admin login and prints it.
demo: migrate
	$(BIN)/python manage.py setup_demo --addr $(ADDR)

# Serves the site and runs the background import worker beside it; Ctrl-C stops both.
# Ctrl-C reaches runserver (the worker, started in the background, ignores it); the trap then
# stops the worker by its pid and waits for it. The trap clears itself first: `kill 0` here
# signalled the shell too, re-entered the trap and ended in "Segmentation fault".
run: demo
	@$(BIN)/python manage.py db_worker --queue-name '*' & worker=$$!; \
	trap 'trap - EXIT INT TERM; kill -TERM $$worker 2>/dev/null; wait $$worker 2>/dev/null; exit 0' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(ADDR)

test: install
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# ruff with the rules in pyproject.toml: each finding as path:line:column, then a count per rule.
lint: install
	@$(BIN)/ruff check --quiet --output-format concise . || { \
	  echo; echo "ruff: findings by rule (\`$(BIN)/ruff check --fix .\` fixes those marked [*]):"; \
	  $(BIN)/ruff check --quiet --statistics .; exit 1; }
	@echo "ruff: no findings"

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-* staticfiles
