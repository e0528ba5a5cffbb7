"""lowdose: plan, track and evaluate an off-label course of low-dose naltrexone (LDN).

The package root is the pure domain core: no Django, no Typer, no environment, no I/O.
The web application lives in :mod:`lowdose.web`, the command line in :mod:`lowdose.cli`.
"""

from lowdose.dose import Dose, DoseError, parse_dose
from lowdose.errors import LowdoseError

__version__ = "0.1.0"

__all__ = ["Dose", "DoseError", "LowdoseError", "__version__", "parse_dose"]
