"""The functional core: no Textual, no TinyDB, no file I/O beyond reading the protocol.

Both front ends (the CLI and the Textual app) call these modules; every rule of the
product is written here once.
"""
