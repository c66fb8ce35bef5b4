# The programs are scripts for run.py, not modules for pytest (nor for its doctest import).
collect_ignore = ["run.py"]
collect_ignore_glob = ["programs/*"]
