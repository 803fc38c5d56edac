"""Batch re-scoring on a Ray cluster: the same items, checks, scores and saving as rescore.py, the work spread out.

This process (the driver) finds, loads and checks every item and saves every result exactly as the local
path does (rescore.py's own functions), so session files, score history, idempotence, reports and exit
codes are the same. The workers only compute: saved transcripts are scored by Ray tasks (`_CHUNK_ITEMS`
sessions each), and recordings are heard by one actor per worker CPU, each holding one speech model loaded
once, in batches of `transcribe_batch` recordings as the local batched path does. A recording is read by
the worker where it lives (a shared filesystem) or, with `ship_audio`, read here and sent through Ray's
object store; imported audio files are always read here. A worker that dies has its batch handed to
another; Ctrl-C cancels everything in flight and leaves only whole, saved sessions behind.

Ray is imported only here, and this module only for `mockint rescore --cluster`.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from mockint.audio import Recording, read_wav
from mockint.errors import MockintError
from mockint.rescore import (
    _CHUNK_ITEMS,
    ItemResult,
    ManyTranscriber,
    Reporter,
    _Context,
    _finish,
    _keep,
    _load_checked,
    _Pending,
    _prepare,
    _score,
    _skipped,
)
from mockint.rescore_items import Item
from mockint.session import Session
from mockint.transcript import Transcript

log = logging.getLogger(__name__)

LOCAL = "local"  # --cluster local: start a Ray instance on this machine for the run
IN_FLIGHT_PER_WORKER = 2  # batches queued per worker: one running, one waiting, so no worker idles
_CONNECT_TIMEOUT_S = 5.0


class ClusterError(MockintError):
    """The cluster cannot be reached or cannot do the work."""


def _import_ray() -> Any:
    try:
        import ray
    except ImportError:
        raise ClusterError("--cluster needs Ray: pip install 'mockint[cluster]'") from None
    return ray


@contextmanager
def connect(address: str, *, ship_audio: bool = False) -> Iterator[Cluster]:
    """Join the Ray cluster at `address` ('host:port' of its head, 'auto', or 'local' to start one here)."""
    ray = _import_ray()
    os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the machine
    quiet = {"logging_level": logging.ERROR, "log_to_driver": False, "include_dashboard": False}
    try:
        if address == LOCAL:
            ray.init(_node_ip_address="127.0.0.1", **quiet)
        else:
            _check_reachable(address)
            quiet.pop("include_dashboard")
            ray.init(address=address, **quiet)
    except ClusterError:
        raise
    except Exception as e:  # Ray raises ConnectionError, RuntimeError or its own errors here
        first = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        raise ClusterError(
            f"Cannot join the Ray cluster at '{address}': {first}. Check the address ('ray status' on its head); "
            "a cluster with token authentication also needs RAY_AUTH_MODE=token and its token here."
        ) from None
    try:
        yield Cluster(ray, ship_audio)
    finally:
        ray.shutdown()


def _check_reachable(address: str) -> None:
    """Fail in seconds, not minutes (Ray retries an absent head for a long time), when nothing answers."""
    if address == "auto":
        return
    if address.startswith("ray://"):
        raise ClusterError(f"'{address}' is a Ray Client address; pass the head's GCS address (host:6379) instead.")
    host, _, port = address.rpartition(":")
    if not host or not port.isdigit():
        raise ClusterError(f"'{address}' is not a cluster address; pass HOST:PORT of its head (e.g. 10.0.0.5:6379) or 'local'.")
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=_CONNECT_TIMEOUT_S).close()
    except OSError as e:
        raise ClusterError(
            f"Nothing answers at '{address}' ({e.strerror or e}). Start the cluster ('ray start --head') or check the address."
        ) from None


# --- what runs on the workers -------------------------------------------------------------------------


def _score_sessions(ctx: _Context, sessions: list[Session]) -> list[Session | str | None]:
    """A Ray task: each session scored (None: unchanged), or why it could not be."""
    out: list[Session | str | None] = []
    for session in sessions:
        try:
            scored = _score(session, ctx.questions[session.question_id], ctx)
            out.append(None if scored is session else scored)
        except MockintError as e:
            out.append(str(e))
    return out


class Hearer:
    """A Ray actor: one speech model, loaded once, hearing batch after batch."""

    def __init__(self, factory: Callable[[], ManyTranscriber], omp_threads: str | None) -> None:
        # Ray sets OMP_NUM_THREADS=1 in its workers, and Whisper then reads some words differently (measured:
        # "So, our team" for "So our team"): the model runs with the driver's setting, as `mockint` alone would.
        if omp_threads is None:
            os.environ.pop("OMP_NUM_THREADS", None)
        else:
            os.environ["OMP_NUM_THREADS"] = omp_threads
        self._transcriber = factory()

    def pid(self) -> int:
        return os.getpid()

    def hear(self, audio: list[Recording | Path]) -> list[Transcript | str]:
        """A transcript for each recording, or why it could not be read."""
        recordings: list[Recording] = []
        failed: dict[int, str] = {}
        for k, a in enumerate(audio):
            try:
                recordings.append(a if isinstance(a, Recording) else read_wav(a))
            except FileNotFoundError:
                failed[k] = f"'{a}' is not on worker {socket.gethostname()}: pass --ship-audio when workers do not share these files."
            except (MockintError, OSError) as e:
                failed[k] = str(e)
        heard = iter(self._transcriber.transcribe_many(recordings))
        return [failed[k] if k in failed else next(heard) for k in range(len(audio))]


# --- the driver ------------------------------------------------------------------------------------


@dataclass
class Cluster:
    """A joined cluster: pass it to `rescore.run(..., spread=cluster)` to do the computing on its workers."""

    ray: Any
    ship_audio: bool = False

    @property
    def workers(self) -> int:
        return max(1, int(self.ray.cluster_resources().get("CPU", 1)))

    def hear(
        self, items: Sequence[Item], indexes: list[int], ctx: _Context, report: Reporter,
        factory: Callable[[], ManyTranscriber], batch: int, model_name: str,
    ) -> None:  # fmt: skip
        """Each item's recordings heard by the workers' actors (`factory` must pickle), then scored and saved here."""
        batches = _batches(items, indexes, ctx, report, model_name, batch, self.ship_audio)
        with _Hearers(self.ray, factory, self.workers) as hearers:
            for group, heard in hearers.hear(batches):
                _report_heard(group, heard, ctx, report, model_name)

    def score(self, items: Sequence[Item], indexes: list[int], ctx: _Context, report: Reporter) -> None:
        """Sessions loaded and checked here, scored by Ray tasks, saved here."""
        ray = self.ray
        task = ray.remote(num_cpus=1, max_retries=3)(_score_sessions)  # a dead worker's task runs again elsewhere
        ctx_ref = ray.put(ctx)
        in_flight: dict[Any, list[tuple[int, Session]]] = {}
        chunks = _loaded_chunks(items, indexes, ctx, report)
        limit = IN_FLIGHT_PER_WORKER * self.workers
        try:
            for chunk in chunks:
                in_flight[task.remote(ctx_ref, [s for _, s in chunk])] = chunk
                while len(in_flight) >= limit:
                    _keep_done(ray, in_flight, items, report)
            while in_flight:
                _keep_done(ray, in_flight, items, report)
        finally:
            for ref in in_flight:  # Ctrl-C or --strict: nothing more is computed for this run
                ray.cancel(ref, force=True)


def _loaded_chunks(
    items: Sequence[Item], indexes: list[int], ctx: _Context, report: Reporter
) -> Iterator[list[tuple[int, Session]]]:
    """Sessions loaded and checked here, `_CHUNK_ITEMS` at a time; a bad item is reported at once."""
    chunk: list[tuple[int, Session]] = []
    for i in indexes:
        try:
            chunk.append((i, _load_checked(items[i], ctx)[0]))
        except MockintError as e:
            report(i, _skipped(items[i], str(e)))
        if len(chunk) == _CHUNK_ITEMS:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _keep_done(ray: Any, in_flight: dict[Any, list[tuple[int, Session]]], items: Sequence[Item], report: Reporter) -> None:
    [ref], _ = ray.wait(list(in_flight), num_returns=1)
    for (i, session), out in zip(in_flight.pop(ref), ray.get(ref), strict=True):
        if isinstance(out, str):
            report(i, _skipped(items[i], out, session))
        else:
            report(i, _keep(items[i], session, session if out is None else out))


_Group = list[tuple[int, _Pending]]


def _batches(
    items: Sequence[Item], indexes: list[int], ctx: _Context, report: Reporter, model_name: str, batch: int, ship: bool
) -> Iterator[_Group]:
    """Items prepared here (as the local path does) and grouped until they hold `batch` recordings."""
    group: _Group = []
    for i in indexes:
        prepared = _prepare(items[i], ctx, model_name, read=ship)
        if isinstance(prepared, ItemResult):
            report(i, prepared)
            continue
        group.append((i, prepared))
        if sum(1 for _, p in group for r in p.recordings if r is not None) >= batch:
            yield group
            group = []
    if group:
        yield group


def _report_heard(group: _Group, heard: list[Transcript | str], ctx: _Context, report: Reporter, model_name: str) -> None:
    """Each item of a heard batch scored and saved here, exactly as the local path finishes it."""
    transcripts = iter(heard)
    for i, pending in group:
        mine = [next(transcripts) for r in pending.recordings if r is not None]
        failed = [t for t in mine if isinstance(t, str)]
        if failed:
            report(i, _skipped(pending.item, failed[0], pending.session))
        else:
            report(i, _finish(pending, iter([t for t in mine if isinstance(t, Transcript)]), ctx, model_name))


class _Hearers:
    """One `Hearer` actor per worker CPU. A batch whose actor dies goes to another, and a new actor is
    started in its place; the run fails only when no actor is left or actors keep dying."""

    def __init__(self, ray: Any, factory: Callable[[], ManyTranscriber], size: int) -> None:
        self._ray = ray
        self._remote = ray.remote(num_cpus=1, max_restarts=0, max_task_retries=0)(Hearer)
        self._factory = factory
        self._starting: dict[Any, Any] = {}  # the actor's first call -> the actor
        self._busy: dict[Any, int] = {}  # a ready actor -> batches queued on it
        self._in_flight: dict[Any, tuple[Any, _Group]] = {}
        self._deaths_left = 2 * size + 2
        self._cause = ""
        for _ in range(size):
            self._start()

    def __enter__(self) -> _Hearers:
        return self

    def __exit__(self, *exc: object) -> None:
        for actor in [*self._busy, *self._starting.values()]:  # also on Ctrl-C: stop what is running
            self._ray.kill(actor)

    def _start(self) -> None:
        actor = self._remote.remote(self._factory, os.environ.get("OMP_NUM_THREADS"))
        self._starting[actor.pid.remote()] = actor

    def hear(self, batches: Iterator[_Group]) -> Iterator[tuple[_Group, list[Transcript | str]]]:
        """Each batch with what was heard, in the order they finish."""
        waiting: deque[_Group] = deque()
        more = True
        while True:
            while self._busy and min(self._busy.values()) < IN_FLIGHT_PER_WORKER:
                group = waiting.popleft() if waiting else (next(batches, None) if more else None)
                if group is None:
                    more = False
                    break
                self._submit(group)
            if not self._in_flight and not waiting and not more:
                return
            if not self._busy and not self._starting:
                raise ClusterError(f"No cluster worker could hear the recordings: {self._cause}")
            [ref], _ = self._ray.wait([*self._in_flight, *self._starting], num_returns=1)
            if ref in self._starting:
                self._started(ref)
                continue
            actor, group = self._in_flight.pop(ref)
            try:
                heard = self._ray.get(ref)
            except self._ray.exceptions.RayActorError as e:
                self._died(actor, e)
                waiting.appendleft(group)  # heard again by another worker
                continue
            if actor in self._busy:  # (its worker may have died after finishing this batch: another of its
                self._busy[actor] -= 1  # batches failed first, and it was counted out then; this result stands)
            yield group, heard

    def _submit(self, group: _Group) -> None:
        actor = min(self._busy, key=lambda a: self._busy[a])
        audio = [r for _, p in group for r in p.recordings if r is not None]
        self._in_flight[actor.hear.remote(audio)] = (actor, group)
        self._busy[actor] += 1

    def _started(self, ref: Any) -> None:
        actor = self._starting.pop(ref)
        try:
            self._ray.get(ref)
            self._busy[actor] = 0
        except self._ray.exceptions.RayActorError as e:  # the model did not load there: not retried
            self._cause = _reason(e)

    def _died(self, actor: Any, error: Exception) -> None:
        if self._busy.pop(actor, None) is None:
            return  # already counted: its other queued batches fail too
        self._ray.kill(actor)  # a worker that is only unreachable must not go on holding its CPU
        log.warning("a cluster worker died (%s); its batches go to the others", _reason(error))
        self._cause = _reason(error)
        self._deaths_left -= 1
        if self._deaths_left < 0:
            raise ClusterError(f"Cluster workers keep dying: {self._cause}. Check the workers' memory and logs.")
        self._start()


def _reason(error: Exception) -> str:
    lines = [line for line in str(error).splitlines() if line.strip()]
    return lines[-1].strip() if lines else type(error).__name__
