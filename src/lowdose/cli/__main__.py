"""``python -m lowdose.cli`` runs the ``lowdose`` command."""

from lowdose.cli.main import main

main()
