"""The course tooling: run, check, render, release and grade the course's notebooks.

Imports nothing heavy, so that it loads in all three course kernels (main, xla, text).
"""

__version__ = "0.1.0"
