"""gunicorn's settings for the API: ``gunicorn -c platform/gunicorn.conf.py 'redline.wsgi:app'``.

Two processes of two threads per core: the app is CPU-bound Python and the threads of one
process share its interpreter lock (``bench/ranking_reads.py``: on two cores, 4 x 2 served cold
ranking pages a third faster than 2 x 4; writes alike). ``REDLINE_WEB_PROCESSES``,
``REDLINE_WEB_THREADS`` and ``REDLINE_BIND`` change them.

With ``PROMETHEUS_MULTIPROC_DIR`` set (a directory of this host, emptied here at start), the
processes' metrics are added up at ``/metrics``, and a process that exits is marked dead.
"""

import multiprocessing
import os
from pathlib import Path

bind = os.environ.get("REDLINE_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("REDLINE_WEB_PROCESSES", 2 * multiprocessing.cpu_count()))
threads = int(os.environ.get("REDLINE_WEB_THREADS", "2"))
worker_class = "gthread"
# A request slower than this is a stuck process: gunicorn restarts it.
timeout = 120
# On SIGTERM, requests in flight get this long to finish (the API drains, then stops).
graceful_timeout = 30
# No control socket (gunicorn 24+ opens one in the home directory, shared by every instance of
# the user: two servers of one machine would contend for it); signals control the server.
control_socket_disable = True


def on_starting(server):
    """Empty the metrics directory: figures of an earlier run's processes are not this run's."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        Path(directory).mkdir(parents=True, exist_ok=True)
        for kept in Path(directory).glob("*.db"):
            kept.unlink()


def child_exit(server, worker):
    """Forget the live gauges of a process that exited (its counters stay in the sums)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
