# The README's two commands. Both do all set-up first (idempotent; seconds when nothing changed).
.PHONY: practice test setup

ARGS ?=

practice: setup  ## set up, then a spoken practice interview (make practice ARGS="--level senior")
	.venv/bin/mockint practice $(ARGS)

test:  ## set up (with test extras), then the whole test suite through the virtual mic/speaker
	bash scripts/setup.sh --test
	bash scripts/test.sh $(ARGS)

setup:
	bash scripts/setup.sh
