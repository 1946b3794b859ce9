# The course's verbs. Every target sets up what it needs first, so a fresh clone needs only
# `make course` or `make test`. Knobs: NB=<name part> picks notebooks, SLOW=0 skips executing them,
# JOBS=<n> notebooks at once, LANG=ko|en for render and lab, PORT= and LAB_ARGS= for lab,
# HUB_DIR= (default /srv/course-hub), PORT= and SSL_CERT= SSL_KEY= (HTTPS) for the hub.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV   := .venvs/main
PY     := $(VENV)/bin/python
COURSE := $(VENV)/bin/course
NB     ?=
JOBS   ?=
SLOW   ?= 1
PYTEST := $(PY) -m pytest -p no:cacheprovider
# LANG is also the locale variable: only ko and en mean a course language here.
COURSE_LANGS := $(or $(filter ko en,$(LANG)),ko en)

.PHONY: help setup lab site course test check exercises grade render clean-nb lock unit integration grade-all release collect release-feedback hub hub-user hub-remove-user
help: ## list the verbs
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed -E 's/:.*## /\t/' | expand -t 18

setup: ## create the three environments and register their kernels (a no-op once done)
	@bash scripts/setup.sh

lab: setup ## JupyterLab on your own copies in workspace/ (LANG=ko or en for one language; PORT=, LAB_ARGS=)
	LANG=C.UTF-8 $(COURSE) lab $(foreach l,$(COURSE_LANGS),--lang $(l)) $(if $(PORT),--port $(PORT)) $(LAB_ARGS)

site: setup ## the bilingual static website of the executed course, in build/site/ (run `make course` first)
	$(COURSE) site

course: setup ## run every lesson and solution headless; write build/report.{json,md}
	$(COURSE) run $(if $(NB),--match $(NB)) $(if $(JOBS),--jobs $(JOBS))

check: setup ## the fast lint: clean sources, ko/en pairs, metadata, glossary, exercises in sync
	$(VENV)/bin/ruff check -q grader tests projects
	$(COURSE) check

unit: setup
	$(PYTEST) tests/unit -q

integration: setup
	$(PYTEST) tests/integration -q -n 2

test: check ## everything CI runs: lint, unit, integration, the course run, exercise grading, the site in a browser
	$(PYTEST) tests/unit tests/integration projects -q -n 2
ifneq ($(SLOW),0)
	$(COURSE) run $(if $(NB),--match $(NB)) $(if $(JOBS),--jobs $(JOBS))
	$(PYTEST) tests/course -q -n 2
	$(COURSE) site
	$(PYTEST) tests/browser -q
endif

exercises: setup ## regenerate exercises/ from solutions/ (nbgrader)
	$(COURSE) exercises

grade: setup ## grade one notebook: make grade NB=exercises/01_tensors.ipynb [HTML=feedback.html]
	@test -n "$(NB)" || { echo "usage: make grade NB=path/to/notebook.ipynb [HTML=feedback.html]"; exit 2; }
	$(COURSE) grade "$(NB)" $(if $(HTML),--html "$(HTML)")

grade-all: setup ## grade a class: make grade-all DIR=submitted [OUT=build/grades] [JOBS=n] [ASSIGNMENT=01_tensors]
	@test -n "$(DIR)" || { echo "usage: make grade-all DIR=path/to/submitted [OUT=build/grades]"; exit 2; }
	$(COURSE) grade-all "$(DIR)" $(if $(OUT),--out "$(OUT)") $(if $(JOBS),--jobs $(JOBS)) $(if $(ASSIGNMENT),--assignment $(ASSIGNMENT))

release: setup ## release an exercise to the nbgrader exchange: make release ASSIGNMENT=01_tensors
	@test -n "$(ASSIGNMENT)" || { echo "usage: make release ASSIGNMENT=01_tensors"; exit 2; }
	$(COURSE) release "$(ASSIGNMENT)"

collect: setup ## collect learners' submissions and grade them: make collect ASSIGNMENT=01_tensors [JOBS=n]
	@test -n "$(ASSIGNMENT)" || { echo "usage: make collect ASSIGNMENT=01_tensors"; exit 2; }
	$(COURSE) collect "$(ASSIGNMENT)" $(if $(JOBS),--jobs $(JOBS))

release-feedback: setup ## hand the bilingual feedback back: make release-feedback ASSIGNMENT=01_tensors
	@test -n "$(ASSIGNMENT)" || { echo "usage: make release-feedback ASSIGNMENT=01_tensors"; exit 2; }
	$(COURSE) release-feedback "$(ASSIGNMENT)"

hub: setup ## a class on this machine, as root: JupyterHub for the accounts of `make hub-user` [PORT=8000] [HUB_DIR=] [SSL_CERT= SSL_KEY=]
	LANG=C.UTF-8 $(COURSE) hub start $(if $(PORT),--port $(PORT)) $(if $(HUB_DIR),--hub-dir "$(HUB_DIR)") \
	  $(if $(SSL_CERT),--ssl-cert "$(SSL_CERT)") $(if $(SSL_KEY),--ssl-key "$(SSL_KEY)")

hub-user: setup ## create a class account, as root: make hub-user NAME=kim LANG=ko [ROLE=instructor] (asks for a password)
	@test -n "$(NAME)" || { echo "usage: make hub-user NAME=kim [LANG=ko|en] [ROLE=instructor] [HUB_DIR=]"; exit 2; }
	LANG=C.UTF-8 $(COURSE) hub add-user "$(NAME)" --lang $(or $(filter ko en,$(LANG)),ko) $(if $(filter instructor,$(ROLE)),--instructor) $(if $(HUB_DIR),--hub-dir "$(HUB_DIR)")

hub-remove-user: setup ## remove a class account and its home folder, as root: make hub-remove-user NAME=kim
	@test -n "$(NAME)" || { echo "usage: make hub-remove-user NAME=kim [HUB_DIR=]"; exit 2; }
	$(COURSE) hub remove-user "$(NAME)" $(if $(HUB_DIR),--hub-dir "$(HUB_DIR)")

render: setup ## single-language copies under build/ko/ and build/en/ (LANG=ko or en for one)
	@for lang in $(COURSE_LANGS); do LANG=C.UTF-8 $(COURSE) render --lang $$lang | tail -n 1; done

clean-nb: setup ## strip outputs and foreign metadata from notebook sources
	$(COURSE) clean

lock: setup ## recompile env/*.lock from pyproject.toml and env/*.in
	.venvs/tools/bin/uv pip compile -q pyproject.toml --extra course --extra dev --extra site \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 -o env/main.lock
	for env in xla text; do .venvs/tools/bin/uv pip compile -q env/$$env.in \
	  --python-version 3.11 --python-platform x86_64-manylinux_2_28 -o env/$$env.lock; done
