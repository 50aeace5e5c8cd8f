"""companion: a terminal self-care companion for the days after dry needling."""

__version__ = "0.1.0"
