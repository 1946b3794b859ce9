"""``python -m grader`` runs the ``course`` command."""

from grader.cli import main

main()
