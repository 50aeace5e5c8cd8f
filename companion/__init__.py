"""companion: a terminal self-care companion for the days after dry needling."""

import sys as _sys

from companion import collector as _collector
from companion.interrupt import exit_calmly_on_interrupt as _exit_calmly_on_interrupt
from companion.interrupt import started_as_program as _started_as_program

__version__ = "0.1.0"

if _started_as_program(getattr(_sys, "argv", [])):
    # Ctrl+C from here on, even during the imports, says one line and exits 130.
    _exit_calmly_on_interrupt()
    # What the start makes lives as long as the process: no collection until it is done.
    _collector.hold()
