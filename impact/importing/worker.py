"""Reading an upload in a separate process with a memory limit and a time limit.

The server is one process that every visitor shares. If an upload is parsed inside it, a file
that makes the parser allocate seventeen billion cells aborts it, and everyone sees
"Connection error". So the bytes are handed to a worker process that may use at most
`Limits.read_memory_mb` of address space (`RLIMIT_AS`) and `Limits.read_seconds` of time; it
screens and parses the file (`impact.importing.reading.read_file`) and, for an import, also
recognises its format and validates it (`check_file`), so what comes back to the server is the
checked rows, never the raw grid of a file it has not seen. (`read_file` gives the grids, for
callers that want them.)
A worker that runs out of memory, aborts, or overruns its time is ended and the file refused
with a sentence; the server carries on. At most `Limits.parallel_reads` workers run at once.

Workers are forked from a small "forker" process started fresh with `subprocess` (never a
fork of the threaded Streamlit server) that has already imported pandas and the reader, so a
worker starts in milliseconds and pays for no imports. (multiprocessing's forkserver would
re-import the program's main module in every worker: the whole of Streamlit, or pytest.)
Each worker is a fresh fork, so one file's memory never lingers into the next.

The forker speaks a small protocol over a Unix socket: "J" with a socket for the job, and it
answers the worker's process id; "F" with a process id, and it ends that worker (if it has
not ended already) and answers how it ended. The server and the worker talk over the job's
socket: the file's name and the limits, then its bytes; back comes one message.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import pickle
import signal
import socket
import struct
import subprocess
import sys
import threading
import time
import traceback
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from impact.importing.kinds.base import Context, Validated
from impact.importing.limits import Limits
from impact.importing.limits import limits as current_limits
from impact.importing.problems import UnusableFile
from impact.importing.reading import Sheet
from impact.importing.reading import read_file as read_here
from impact.importing.screening import refuse_size

try:  # not on Windows: there is no fork there, and uploads are read in the server
    import resource
except ImportError:  # pragma: no cover
    resource = None  # type: ignore[assignment]

_lock = threading.Lock()  # guards the forker and its control socket
_forker: _Forker | None = None
_gates: dict[int, threading.BoundedSemaphore] = {}
_gates_lock = threading.Lock()


@dataclass
class WorkerResult:
    """What a worker made of a file: the job's result, or why the file was refused, and what
    it cost."""
    value: Any
    refusal: str | None
    limit: str | None  # what refused it: "size", "refused" (the screening, the reader or the
    # format said why), "memory", "time", or "failed" (the reader stopped unexpectedly)
    seconds: float
    worker_peak_mb: float | None  # the worker's peak resident memory, when it could say
    exit_code: int | None = None
    worker_cpu_s: float | None = None  # processor time the worker used, when it could say

    @property
    def sheets(self) -> list[Sheet] | None:  # for the "read" job
        return self.value


@dataclass
class Checked:
    """A file recognised and validated in a worker (the "check" job)."""
    code: str
    label: str
    choices: dict[str, list[str]]  # the format's options and the choices this file offers
    validated: Validated | None
    unusable: str | None = None  # the format's own refusal (no year given, no table found)


class WorkerFailed(RuntimeError):
    """The worker raised something other than a refusal: a defect, reported as one."""


def read_file(name: str, data: bytes, limits: Limits | None = None) -> list[Sheet]:
    """Every sheet of the file as raw grids, read in a worker; UnusableFile with a sentence
    when the file is refused or exhausts the worker."""
    result = run("read", name, data, None, limits)
    if result.refusal is not None:
        raise UnusableFile(result.refusal)
    return result.value


def read_in_worker(name: str, data: bytes, limits: Limits | None = None) -> WorkerResult:
    return run("read", name, data, None, limits)


def check_file(name: str, data: bytes, kind: str | None, context: Context,
               limits: Limits | None = None) -> Checked:
    """Read, recognise (unless `kind` says) and validate a file in a worker. UnusableFile when
    the file cannot be read or recognised; a format's own refusal is `Checked.unusable`."""
    result = run("check", name, data, (kind, context), limits)
    if result.refusal is not None:
        raise UnusableFile(result.refusal)
    return result.value


def run(job: str, name: str, data: bytes, payload: Any = None, limits: Limits | None = None
        ) -> WorkerResult:
    """Do `job` ("read" or "check") on a file in a worker process, within the limits."""
    limits = limits or current_limits()
    started = time.perf_counter()
    try:
        refuse_size(name, len(data), limits)  # before copying the bytes anywhere
    except UnusableFile as error:
        return WorkerResult(None, str(error), "size", time.perf_counter() - started, None)
    with _gate(limits.parallel_reads):
        return _run(job, name, data, payload, limits, started)


def _gate(size: int) -> threading.BoundedSemaphore:
    with _gates_lock:
        if size not in _gates:
            _gates[size] = threading.BoundedSemaphore(size)
        return _gates[size]


class _Forker:
    """The process workers are forked from, and the socket to ask it for one."""

    def __init__(self) -> None:
        ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
        root = str(Path(__file__).resolve().parents[2])
        env = {**os.environ, "PYTHONPATH": os.pathsep.join(
            p for p in (root, os.environ.get("PYTHONPATH", "")) if p),
            # one thread for numerical libraries: a worker forks cleanly and reserves less
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", "import sys; from impact.importing.worker import serve; "
             f"serve({theirs.fileno()})"],
            pass_fds=(theirs.fileno(),), env=env, stdin=subprocess.DEVNULL)
        theirs.close()
        self.control = ours

    def alive(self) -> bool:
        return self.process.poll() is None

    def start_job(self, job: socket.socket) -> int:
        socket.send_fds(self.control, [b"J"], [job.fileno()])
        return _read_int(self.control)

    def finish(self, pid: int) -> int:
        """End worker `pid` if it is still running; how it ended, as `Popen.returncode`."""
        self.control.sendall(b"F" + struct.pack("!q", pid))
        return _read_int(self.control)

    def close(self) -> None:
        self.control.close()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.process.wait(5)


def _read_int(sock: socket.socket) -> int:
    data = b""
    while len(data) < 8:
        more = sock.recv(8 - len(data))
        if not more:
            raise ConnectionError("the forker stopped")
        data += more
    return struct.unpack("!q", data)[0]


def _get_forker() -> _Forker:
    global _forker
    if _forker is None or not _forker.alive():
        _forker = _Forker()
        atexit.register(_forker.close)  # the forker ends with the server, and is waited for
    return _forker


def warm_up() -> None:
    """Start the forker now, so the first upload does not wait for pandas to import."""
    if resource is not None:
        with _lock:
            _get_forker()


def _run(job: str, name: str, data: bytes, payload: Any, limits: Limits, started: float
         ) -> WorkerResult:
    if resource is None:  # pragma: no cover - no fork: here, with the screening only
        try:
            return WorkerResult(_JOBS[job](name, data, limits, payload), None, None,
                                time.perf_counter() - started, None)
        except UnusableFile as error:
            return WorkerResult(None, str(error), "refused", time.perf_counter() - started,
                                None)
    ours, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
    with _lock:
        try:
            forker = _get_forker()
            pid = forker.start_job(theirs)
        except OSError:  # the forker was ended (by hand, or by the system): start another
            global _forker
            _forker = None
            forker = _get_forker()
            pid = forker.start_job(theirs)
    theirs.close()
    connection = Connection(ours.detach())
    deadline = time.perf_counter() + limits.read_seconds  # waiting for a turn is not counted
    message = None
    timed_out = False
    try:
        connection.send((job, name, limits, payload))
        connection.send_bytes(data)
        if connection.poll(max(deadline - time.perf_counter(), 0.0)):
            message = connection.recv()
        else:
            timed_out = True
    except (EOFError, OSError, pickle.UnpicklingError):  # the worker died part way
        message = None
    finally:
        connection.close()
        with _lock:
            try:
                code = forker.finish(pid)
            except OSError:
                code = None
    seconds = time.perf_counter() - started
    if message is not None:
        kind, value, (peak, cpu) = message
        if kind == "done":
            return WorkerResult(value, None, None, seconds, peak, code, cpu)
        if kind == "unusable":
            return WorkerResult(None, value, "refused", seconds, peak, code, cpu)
        if kind == "memory":
            return WorkerResult(None, _memory_sentence(name, limits), "memory", seconds, peak,
                                code, cpu)
        raise WorkerFailed(f"{job} {name!r} in a worker process: {value}")
    if timed_out or code == -signal.SIGXCPU:  # stopped by us, or by its processor-time limit
        return WorkerResult(None, _time_sentence(name, limits), "time", seconds, None, code)
    if code in (-signal.SIGABRT, -signal.SIGKILL, -signal.SIGSEGV, -signal.SIGBUS):
        # Out of memory inside native code aborts the process (or, in a parser that does not
        # check what malloc returns, crashes it) rather than raising MemoryError; the
        # system's out-of-memory killer sends SIGKILL.
        return WorkerResult(None, _memory_sentence(name, limits), "memory", seconds, None,
                            code)
    return WorkerResult(None, _failed_sentence(name, f"the reader stopped unexpectedly, exit "
                                                     f"status {code}"), "failed", seconds, None,
                        code)


def _memory_sentence(name: str, limits: Limits) -> str:
    return (f"{name} needs more than the {limits.read_memory_mb:,} MB of memory one upload may "
            "use to be read, so it was not read (the site carries on as before). Delete empty "
            "rows and columns after your data, or split the file into smaller ones (for "
            "example one per year), and upload each.")


def _time_sentence(name: str, limits: Limits) -> str:
    return (f"{name} took longer than the {limits.read_seconds:,} seconds one upload may take "
            "to read, so reading it was stopped and nothing was saved. Split it into smaller "
            "files (for example one per year), or save it again from Excel, and upload each.")


def _failed_sentence(name: str, what: str) -> str:
    return (f"{name} could not be read ({what}). Open it in Excel, save it again as .xlsx or "
            "CSV UTF-8, and upload that. If the same file keeps failing, send it to whoever "
            "looks after this site.")


# --- in the forker and the worker -----------------------------------------------------------

def serve(control_fd: int) -> None:
    """The forker's loop: fork a worker for each job until the server goes away."""
    import python_calamine  # noqa: F401 - imported once here rather than in every worker

    import impact.importing.formats  # noqa: F401 - every format, for the "check" job

    control = socket.socket(fileno=control_fd)
    workers: set[int] = set()
    try:
        while True:
            try:
                message, fds, _, _ = socket.recv_fds(control, 9, 1)
            except (ConnectionError, OSError):
                break
            if not message:
                break  # the server has gone
            if message[:1] == b"J" and fds:
                pid = os.fork()
                if pid == 0:  # the worker
                    control.close()
                    code = 0
                    try:
                        _work(fds[0])
                    except BaseException:  # noqa: BLE001 - a worker never returns to the loop
                        code = 1
                    os._exit(code)
                os.close(fds[0])
                workers.add(pid)
                control.sendall(struct.pack("!q", pid))
            elif message[:1] == b"F":
                pid = struct.unpack("!q", message[1:9])[0]
                code = -1
                if pid in workers:
                    workers.discard(pid)
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)  # no effect on one that has ended
                    _, status = os.waitpid(pid, 0)
                    code = os.waitstatus_to_exitcode(status)
                control.sendall(struct.pack("!q", code))
            else:
                for fd in fds:
                    os.close(fd)
    finally:
        for pid in workers:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)


# --- in the worker ------------------------------------------------------------------------

def _confine(limits: Limits) -> None:
    if resource is None:  # pragma: no cover
        return
    memory = limits.read_memory_mb * 1024 * 1024
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    seconds = limits.read_seconds + 5  # processor time: a backstop to the wall-clock limit
    resource.setrlimit(resource.RLIMIT_CPU, (seconds, seconds + 5))


def _costs() -> tuple[float | None, float | None]:
    """This worker's peak resident memory (MB) and processor time (s)."""
    if resource is None:  # pragma: no cover
        return None, None
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_maxrss / 1024, used.ru_utime + used.ru_stime  # ru_maxrss: kB on Linux


def _read(name: str, data: bytes, limits: Limits, payload: Any) -> list[Sheet]:
    return read_here(name, data, limits)


def _check(name: str, data: bytes, limits: Limits, payload: Any) -> Checked:
    from impact.importing import formats

    kind, context = payload
    sheets = read_here(name, data, limits)
    fmt = formats.get(kind) if kind else formats.detect(sheets, name)
    choices = {option.name: list(option.choices) or list(fmt.option_choices(option.name,
                                                                            sheets))
               for option in fmt.options}
    try:
        validated = fmt.validate(sheets, context)
    except UnusableFile as error:
        return Checked(fmt.code, fmt.label, choices, None, str(error))
    return Checked(fmt.code, fmt.label, choices, validated)


_JOBS = {"read": _read, "check": _check}


def _work(fd: int) -> None:
    connection = Connection(fd)
    job, name, limits, payload = connection.recv()
    _confine(limits)
    try:
        data = connection.recv_bytes()
        outcome: tuple[str, Any] = ("done", _JOBS[job](name, data, limits, payload))
    except UnusableFile as error:
        outcome = ("unusable", str(error))
    except MemoryError:
        outcome = ("memory", None)
    except BaseException:  # noqa: BLE001 - a defect: reported to the server as one
        outcome = ("error", traceback.format_exc()[-3000:])
    data = None
    try:
        connection.send((*outcome, _costs()))
    except MemoryError:
        outcome = ("memory", None)
        connection.send((*outcome, _costs()))
    finally:
        connection.close()
