"""``python -m factorycore``: the command line (see factorycore.cli).

When a command returns it has closed its connections (every handler closes its own in
a ``finally``) and its output is written. What remains of a normal exit is the
interpreter tearing down its modules with DuckDB loaded: 15-18 ms here, more than a read
command's own work (``python -m bench cli``). So the process runs the ``atexit``
handlers (team-store connections, temporary-file finalizers, logging), flushes its
output and ends with ``os._exit``. An exception (``FACTORY_DEBUG``) exits the normal way,
traceback and all.
"""

import atexit
import os
import sys

from factorycore.cli import main

status = main()
atexit._run_exitfuncs()  # what the interpreter's own exit runs first; only the module teardown is skipped
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except OSError:  # a closed pipe (`| head`): the reader has what it wanted
        status = status or 1
os._exit(status)
