"""``python -m tinygrad_nn train`` is ``tinygrad-nn train``."""

from .cli import main

raise SystemExit(main())
