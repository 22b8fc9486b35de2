# The two commands of the README: `make demo` and `make test`. Nothing else is needed on a fresh machine
# with Python 3.11: uv (pinned) is installed in .tools/, the project in .venv/ from uv.lock.
PYTHON ?= python3
UV_VERSION := 0.9.30
UV := .tools/bin/uv
VENV_PY := .venv/bin/python
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := .venv

.PHONY: demo test install lint migrate serve bench clean

$(UV):
	$(PYTHON) -m venv .tools
	.tools/bin/pip install --quiet --disable-pip-version-check "uv==$(UV_VERSION)"

.venv/.synced: $(UV) pyproject.toml uv.lock
	$(UV) sync --frozen --quiet
	@touch $@

install: .venv/.synced

demo: install
	$(VENV_PY) manage.py migrate --noinput
	$(VENV_PY) manage.py load_reference
	$(VENV_PY) manage.py load_demo
	$(VENV_PY) manage.py produce_indicator_reports
	$(VENV_PY) manage.py runserver 127.0.0.1:8000

test: install
	$(VENV_PY) -m pytest

lint: install
	.venv/bin/ruff check .
	.venv/bin/ruff format --check .
	.venv/bin/lint-imports --no-cache
	$(VENV_PY) manage.py makemigrations --check --dry-run

bench: install
	$(VENV_PY) bench/run.py

clean:
	rm -rf .venv .tools db.sqlite3 var staticfiles
