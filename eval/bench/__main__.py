"""`python -m eval.bench`: the whole benchmark (eval/bench/main.py)."""

import sys

from eval.bench.main import main

sys.exit(main())
