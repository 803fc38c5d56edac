"""Batch re-scoring: find the items (session folders, plain audio files), score each, save beside the old scores.

Never writes to recorded audio: session WAVs are only read, and an imported audio file is copied or converted
into a new session folder. A bad item becomes a SKIPPED result with its reason; the batch carries on.
Scoring is `scoring.score_session`; re-transcription goes through a `ManyTranscriber` (see batch.py).
"""

from __future__ import annotations

import concurrent.futures
import hashlib
import logging
import multiprocessing
import os
import shutil
import signal
import struct
import time
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

from mockint import atomic
from mockint.asr import Transcriber
from mockint.audio import SAMPLE_RATE_HZ, Recording, check_wav, load_audio, read_wav, write_wav
from mockint.bank import Level, Question
from mockint.errors import AudioError, BankError, MockintError, SessionError
from mockint.rescore_items import EXIT_SKIPPED as EXIT_SKIPPED
from mockint.rescore_items import Item as Item
from mockint.rescore_items import ItemKind as ItemKind
from mockint.rescore_items import ItemResult as ItemResult
from mockint.rescore_items import ItemStatus as ItemStatus
from mockint.rescore_items import Summary as Summary
from mockint.rubric import Rubric
from mockint.scoring import score_session
from mockint.session import Session, Turn, TurnKind
from mockint.store import load, new_session_id, save
from mockint.transcript import Transcript
from mockint.userpaths import input_file

log = logging.getLogger(__name__)

_CHUNK_ITEMS = 16  # items per task handed to a worker process: small enough for a lively progress bar


@dataclass(frozen=True, slots=True)
class RescoreOptions:
    """question_id/level: for plain audio files (a session folder knows its own).
    into: where sessions made from audio files are created (default: the recordings folder).
    jobs: worker processes for scoring from transcripts; re-transcription batches inside one process.
    strict: stop at the first bad item instead of skipping it.
    """

    question_id: str | None = None
    level: Level = Level.SDE2
    retranscribe: bool = False
    into: Path | None = None
    jobs: int = 1
    strict: bool = False


class ManyTranscriber(Protocol):
    """Transcribes several recordings in one call (batched), and names the model that did it."""

    @property
    def model_name(self) -> str: ...

    def transcribe_many(self, recordings: Sequence[Recording]) -> list[Transcript]: ...


class OneAtATime:
    """Any one-recording `asr.Transcriber` as a ManyTranscriber: the same whole-file transcription that
    `practice --answer-file` and `analyze` use, so a re-scored recording gets the score they would give it."""

    def __init__(self, transcriber: Transcriber, model_name: str) -> None:
        self._transcriber = transcriber
        self._model_name = model_name

    @property
    def model_name(self) -> str:
        return self._model_name

    def transcribe_many(self, recordings: Sequence[Recording]) -> list[Transcript]:
        return [self._transcriber.transcribe(r) for r in recordings]


class StrictStop(MockintError):
    """--strict: the first bad item ends the batch."""


# --- checks -----------------------------------------------------------------------------------------


def _question(questions: Mapping[str, Question], question_id: str | None, where: str) -> Question:
    if question_id is None:
        raise BankError(f"{where}: an audio file needs --question ID to be scored. Run 'mockint questions' to list them.")
    question = questions.get(question_id)
    if question is None:
        raise BankError(f"{where}: unknown question '{question_id}'. Run 'mockint questions', or pass --bank with its file.")
    return question


# --- one item ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Context:
    questions: Mapping[str, Question]
    options: RescoreOptions
    now: datetime
    rubric: Rubric | None = None


def _result(item: Item, session: Session, previous: int | None, status: ItemStatus) -> ItemResult:
    latest = session.latest_score
    return ItemResult(
        path=item.path,
        kind=item.kind,
        status=status,
        session_id=session.id,
        question_id=session.question_id,
        previous=previous,
        overall=latest.overall if latest else None,
        verdict=latest.verdict if latest else None,
    )


def _skipped(item: Item, reason: str, session: Session | None = None) -> ItemResult:
    return ItemResult(
        path=item.path,
        kind=item.kind,
        status=ItemStatus.SKIPPED,
        session_id=session.id if session else None,
        question_id=session.question_id if session else None,
        reason=reason,
    )


def _load_checked(item: Item, ctx: _Context) -> tuple[Session, Question]:
    """Load a session folder and check everything scoring needs: its question and its audio files."""
    session = load(item.path)
    question = _question(ctx.questions, session.question_id, f"Session '{item.path}'")
    if session.answer is None:
        raise SessionError(f"Session '{item.path}' has no answer turn. It was saved before anything was recorded.")
    for turn in session.turns:
        if turn.audio_file is not None:
            check_wav(item.path / turn.audio_file)
    return session, question


def rescore_folder(item: Item, ctx: _Context) -> ItemResult:
    """Score one session folder from its saved transcripts. Bad items come back SKIPPED, never raised."""
    session: Session | None = None
    try:
        session, question = _load_checked(item, ctx)
        return _keep(item, session, _score(session, question, ctx))
    except MockintError as e:
        return _skipped(item, str(e), session)


def _score(session: Session, question: Question, ctx: _Context) -> Session:
    """The computing half of an item (a cluster worker runs it): the same session when nothing changes."""
    return score_session(session, question, rubric=ctx.rubric, now=ctx.now)


def _keep(item: Item, session: Session, scored: Session) -> ItemResult:
    """The saving half of an item (always in this process): nothing is written when scoring changed nothing."""
    previous = session.latest_score.overall if session.latest_score else None
    if scored is session:
        return _result(item, session, previous, ItemStatus.UNCHANGED)
    try:
        save(scored, item.path)
    except MockintError as e:
        return _skipped(item, str(e), session)
    except OSError as e:  # e.g. the folder is read-only: the item is bad, the batch goes on
        return _skipped(item, f"Cannot write '{item.path}': {e.strerror or e}. Check the folder's permissions.", session)
    return _result(item, scored, previous, ItemStatus.RESCORED)


_IO_THREADS = 4  # threads per process: one scores while others wait on reads and fsyncs (which drop the GIL)


def _rescore_chunk(items: Sequence[Item], ctx: _Context) -> list[ItemResult]:
    with concurrent.futures.ThreadPoolExecutor(max_workers=min(_IO_THREADS, len(items) or 1)) as threads:
        return list(threads.map(lambda item: rescore_folder(item, ctx), items))


# --- re-transcription and import ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Pending:
    """An item waiting for its recordings to be transcribed."""

    item: Item
    session: Session
    question: Question
    previous: int | None
    folder: Path  # where the session is (or, for an import, will be) saved
    recordings: tuple[Recording | Path | None, ...]  # one per turn; None keeps its transcript, a Path is read later
    source: Path | None = None  # for an import: the audio file to copy or convert


def _prepare_retranscribe(item: Item, ctx: _Context, model_name: str, *, read: bool = True) -> _Pending | ItemResult:
    """read=False leaves each (checked) WAV as its absolute path, for a worker that shares the files."""
    session: Session | None = None
    try:
        session, question = _load_checked(item, ctx)
        latest = session.latest_score
        previous = latest.overall if latest else None
        # Always heard again, even by the same model: live transcription cut the answer into pieces, and the
        # whole recording may read differently. If it reads the same, scoring it again changes nothing.
        wavs = [None if t.audio_file is None else (item.path / t.audio_file).absolute() for t in session.turns]
        recordings = tuple(read_wav(w) if read and w is not None else w for w in wavs)
        return _Pending(item, session, question, previous, item.path, recordings)
    except MockintError as e:
        return _skipped(item, str(e), session)


def _import_id(path: Path, question_id: str) -> tuple[str, datetime]:
    """A stable id for an imported file: its modification time, the question and a hash of its bytes,
    so importing the same file again finds the session made the first time."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    when = datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
    return f"{new_session_id(when, question_id)}-{digest.hexdigest()[:8]}", when


def _prepare_import(item: Item, ctx: _Context, into: Path, model_name: str) -> _Pending | ItemResult:
    try:
        question = _question(ctx.questions, ctx.options.question_id, f"Audio file '{item.path}'")
        input_file(item.path, "Audio file", "Pass WAV, FLAC or MP3 recordings.", AudioError)  # not a pipe, not a folder
        if item.path.suffix.lower() == ".wav":
            check_wav(item.path)
        session_id, when = _import_id(item.path, question.id)
        folder = into / session_id
        if folder.exists():  # imported before: treat it as the session it became
            existing = Item(folder, ItemKind.SESSION)
            done = (
                _prepare_retranscribe(existing, ctx, model_name)
                if ctx.options.retranscribe
                else rescore_folder(existing, ctx)
            )
            if isinstance(done, ItemResult):
                return replace(done, path=item.path, kind=ItemKind.AUDIO)
            return replace(done, item=item)
        recording = load_audio(item.path)
        session = Session(
            id=session_id,
            created_at=when.isoformat(timespec="seconds"),
            question_id=question.id,
            level=ctx.options.level,
            lp=None,
            model=model_name,
            turns=(Turn(TurnKind.ANSWER, question.title, "answer.wav", Transcript((), recording.duration_s)),),
            scores=(),
        )
        return _Pending(item, session, question, None, folder, (recording,), source=item.path)
    except MockintError as e:
        return _skipped(item, str(e))
    except OSError as e:
        return _skipped(item, f"Cannot read '{item.path}': {e.strerror or e}. Check the path and permissions.")


def _finish(pending: _Pending, transcripts: Iterator[Transcript], ctx: _Context, model_name: str) -> ItemResult:
    turns = tuple(
        turn if rec is None else replace(turn, transcript=next(transcripts))
        for turn, rec in zip(pending.session.turns, pending.recordings, strict=True)
    )
    session = replace(pending.session, turns=turns, model=model_name)
    try:
        scored = score_session(session, pending.question, rubric=ctx.rubric, model=model_name, now=ctx.now)
        if pending.source is None:
            if scored == pending.session:
                return _result(pending.item, pending.session, pending.previous, ItemStatus.UNCHANGED)
            save(scored, pending.folder)
            return _result(pending.item, scored, pending.previous, ItemStatus.RESCORED)
        _create_imported(pending.source, pending.recordings[0], scored, pending.folder)
        return _result(pending.item, scored, None, ItemStatus.IMPORTED)
    except MockintError as e:
        return _skipped(pending.item, str(e), session)
    except OSError as e:
        return _skipped(pending.item, f"Cannot write '{pending.folder}': {e.strerror or e}. Check the folder's permissions.", session)


def _create_imported(source: Path, recording: Recording | Path | None, session: Session, folder: Path) -> None:
    """Build the new session in a hidden temporary folder, then rename it: no half-made session is left."""
    tmp = folder.with_name(f".{folder.name}.tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)
    try:
        if _is_plain_wav(source):
            shutil.copyfile(source, tmp / "answer.wav")  # byte-for-byte: the user's audio as recorded
        else:
            assert isinstance(recording, Recording)
            write_wav(tmp / "answer.wav", recording)  # converted to 16 kHz mono 16-bit PCM
        save(session, tmp)
        atomic.replace(tmp, folder)  # retried while Windows' scanners hold a file in it
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def _is_plain_wav(path: Path) -> bool:
    if path.suffix.lower() != ".wav":
        return False
    try:
        recording = read_wav(path)
        with open(path, "rb") as f:
            head = f.read(36)
    except (AudioError, OSError):
        return False
    channels = struct.unpack_from("<H", head, 22)[0] if len(head) >= 24 else 0
    return recording.sample_rate_hz == SAMPLE_RATE_HZ and channels == 1


def _prepare(item: Item, ctx: _Context, model_name: str, *, read: bool = True) -> _Pending | ItemResult:
    """An item's recordings, ready to be heard (or its result, when it is bad)."""
    if item.kind is ItemKind.SESSION:
        return _prepare_retranscribe(item, ctx, model_name, read=read)
    if ctx.options.into is None:
        raise ValueError("options.into is required to import audio files")
    return _prepare_import(item, ctx, ctx.options.into, model_name)


def _transcribe_group(
    group: Sequence[_Pending], transcriber: ManyTranscriber, ctx: _Context
) -> list[ItemResult]:
    recordings = [r if isinstance(r, Recording) else read_wav(r) for p in group for r in p.recordings if r is not None]
    transcripts = iter(transcriber.transcribe_many(recordings))
    return [_finish(p, transcripts, ctx, transcriber.model_name) for p in group]


# --- the batch --------------------------------------------------------------------------------------


def run(
    items: Sequence[Item],
    questions: Mapping[str, Question],
    options: RescoreOptions,
    *,
    now: datetime,
    transcriber_factory: Callable[[], ManyTranscriber] | None = None,
    on_result: Callable[[ItemResult], None] = lambda r: None,
    rubric: Rubric | None = None,
    bank_folder: Path | None = None,
    transcribe_batch: int = 10,
    model_name: str | None = None,
    spread: Spread | None = None,
) -> Summary:
    """Rescore `items` and return every result in input order; `spread` does the computing elsewhere (a cluster).

    `transcriber_factory` is called once, and only if something needs transcribing (an audio file, or
    any session with options.retranscribe). Pass `model_name` (the name the factory's transcriber will
    report) to decide what is already done without loading the model: a second run then loads nothing. Scoring from transcripts uses `options.jobs` worker
    processes, each loading the bank from `bank_folder` once. Raises StrictStop under options.strict.
    """
    ctx = _Context(questions, options, now, rubric)
    report = _Collector(options, on_result)
    needs_asr, plain = _split(items, options)
    if spread is not None:
        spread.score(items, plain, ctx, report)
    else:
        _score_plain(items, plain, ctx, report, bank_folder)
    if needs_asr and spread is not None:
        if transcriber_factory is None or model_name is None:
            raise ValueError("items need transcribing: pass transcriber_factory and model_name")
        spread.hear(items, needs_asr, ctx, report, transcriber_factory, transcribe_batch, model_name)
    elif needs_asr:
        _run_transcribing(items, needs_asr, ctx, report, transcriber_factory, transcribe_batch, model_name)
    return report.summary()


class Spread(Protocol):
    """Where the computing of a batch can be done instead of here (`cluster.Cluster`). It loads, checks
    and saves with this module's functions in this process, and reports each item as it is done."""

    def score(self, items: Sequence[Item], indexes: list[int], ctx: _Context, report: Reporter) -> None: ...

    def hear(
        self, items: Sequence[Item], indexes: list[int], ctx: _Context, report: Reporter,
        factory: Callable[[], ManyTranscriber], batch: int, model_name: str,
    ) -> None: ...  # fmt: skip


Reporter = Callable[[int, ItemResult], None]


class _Collector:
    """Keeps each item's result by its index, passes it on, and stops the batch under --strict."""

    def __init__(self, options: RescoreOptions, on_result: Callable[[ItemResult], None]) -> None:
        self.results: dict[int, ItemResult] = {}
        self._strict = options.strict
        self._on_result = on_result

    def __call__(self, index: int, result: ItemResult) -> None:
        self.results[index] = result
        self._on_result(result)
        if self._strict and result.status is ItemStatus.SKIPPED:
            raise StrictStop(f"{result.path}: {result.reason} (--strict stops at the first bad item)")

    def summary(self) -> Summary:
        return Summary(tuple(self.results[i] for i in sorted(self.results)))


def _split(items: Sequence[Item], options: RescoreOptions) -> tuple[list[int], list[int]]:
    """Indexes of the items that need speech recognition, and of those scored from saved transcripts."""
    needs_asr = [i for i, it in enumerate(items) if it.kind is ItemKind.AUDIO or options.retranscribe]
    return needs_asr, [i for i in range(len(items)) if i not in set(needs_asr)]


def _score_plain(
    items: Sequence[Item],
    indexes: list[int],
    ctx: _Context,
    report: Callable[[int, ItemResult], None],
    bank_folder: Path | None,
) -> None:
    jobs = max(1, ctx.options.jobs)
    chunks = [indexes[k : k + _CHUNK_ITEMS] for k in range(0, len(indexes), _CHUNK_ITEMS)]
    if ctx.options.strict:  # one at a time, so nothing after the first bad item is touched
        for i in indexes:
            report(i, rescore_folder(items[i], ctx))
        return
    if jobs == 1 or len(indexes) < 2 * _CHUNK_ITEMS or bank_folder is None or ctx.rubric is not None:
        for chunk in chunks:
            for i, result in zip(chunk, _rescore_chunk([items[i] for i in chunk], ctx), strict=True):
                report(i, result)
        return
    # "spawn": a clean interpreter per worker (no inherited threads or locks, e.g. the progress bar's).
    # The stop signals are blocked while the workers and multiprocessing's resource tracker start, so they
    # are born deaf to them (the terminal sends Ctrl-C and SIGHUP to the whole process group; a tracker
    # killed by SIGHUP is restarted and then prints KeyError tracebacks): this process ends them.
    original = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGHUP})
    try:
        from multiprocessing import resource_tracker

        # Started first: it blocks SIGINT and SIGTERM for its own start and then unblocks them in this thread.
        resource_tracker.ensure_running()
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        pool = concurrent.futures.ProcessPoolExecutor(
            max_workers=jobs,
            mp_context=multiprocessing.get_context("spawn"),
            initializer=_worker_init,
            initargs=(bank_folder, ctx.options, ctx.now, os.getpid()),
        )
        futures = {pool.submit(_worker_chunk, [items[i] for i in chunk]): chunk for chunk in chunks}
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, original)  # a signal that came meanwhile is raised here
    reported: set[concurrent.futures.Future[list[ItemResult]]] = set()
    try:
        for future in concurrent.futures.as_completed(futures):
            reported.add(future)
            for i, result in zip(futures[future], future.result(), strict=True):
                report(i, result)
    except BaseException:  # Ctrl-C, SIGTERM: stop the workers, count the chunks they saved meanwhile, go on
        _stop_workers(pool, list(futures))
        for future, chunk in futures.items():
            if future not in reported and future.done() and not future.cancelled() and future.exception() is None:
                for i, result in zip(chunk, future.result(), strict=True):
                    report(i, result)
        raise
    pool.shutdown(wait=True)


_STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)
STOP_GRACE_S = 1.5  # a chunk already being scored gets this long to finish (and save) before its worker is ended


def _stop_workers(pool: concurrent.futures.ProcessPoolExecutor, futures: list[concurrent.futures.Future[Any]]) -> None:
    """Cancel the chunks not started and let the workers finish the ones they hold and exit, for at most
    STOP_GRACE_S; then end the ones still running. No worker is left behind, and each session is saved whole
    or not at all (store.save is atomic)."""
    # The pool's processes: ProcessPoolExecutor has no public way to end them before Python 3.14
    # (terminate_workers), and shutdown(wait=True) would wait for chunks it has queued already.
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for future in futures:
        future.cancel()
    pool.shutdown(wait=False, cancel_futures=True)  # each worker exits after its current chunk
    deadline = time.monotonic() + STOP_GRACE_S
    try:
        for process in processes:
            process.join(timeout=max(0.0, deadline - time.monotonic()))
    except KeyboardInterrupt:  # a second Ctrl-C without exits' handlers (library use): stop waiting
        pass
    for process in processes:
        if process.is_alive():  # stuck: it ignores SIGTERM, so end it outright
            process.kill()
            process.join(timeout=1.0)


_worker_ctx: _Context | None = None


def _worker_init(bank_folder: Path, options: RescoreOptions, now: datetime, parent_pid: int) -> None:
    """A worker: the bank loaded once; Ctrl-C, SIGTERM and SIGHUP are its parent's to handle (it lets the
    worker finish the chunk it holds, so no session is left half-saved), and it ends itself if the parent dies."""
    import threading

    from mockint.bank import load_bank

    for signum in _STOP_SIGNALS:
        signal.signal(signum, signal.SIG_IGN)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)  # blocked by the parent while it started us
    threading.Thread(target=_exit_with_parent, args=(parent_pid,), name="mockint-orphan-check", daemon=True).start()
    global _worker_ctx
    _worker_ctx = _Context({q.id: q for q in load_bank(bank_folder)}, options, now)


def _exit_with_parent(parent_pid: int) -> None:
    """End this worker once its parent is gone (killed with SIGKILL, say), rather than wait forever."""
    import time

    while os.getppid() == parent_pid:
        time.sleep(0.5)
    os._exit(1)


def _worker_chunk(items: list[Item]) -> list[ItemResult]:
    assert _worker_ctx is not None, "_worker_init runs first"
    return _rescore_chunk(items, _worker_ctx)


def _run_transcribing(
    items: Sequence[Item],
    indexes: list[int],
    ctx: _Context,
    report: Callable[[int, ItemResult], None],
    transcriber_factory: Callable[[], ManyTranscriber] | None,
    batch: int,
    model_name: str | None,
) -> None:
    if transcriber_factory is None:
        raise ValueError("items need transcribing but no transcriber_factory was given")
    loaded: list[ManyTranscriber] = []

    def transcriber() -> ManyTranscriber:
        if not loaded:
            loaded.append(transcriber_factory())  # the model loads once, and only when needed
        return loaded[0]

    name = model_name if model_name is not None else transcriber().model_name
    group: list[tuple[int, _Pending]] = []

    def flush() -> None:
        for (i, _), result in zip(group, _transcribe_group([p for _, p in group], transcriber(), ctx), strict=True):
            report(i, result)
        group.clear()

    for i in indexes:
        prepared = _prepare(items[i], ctx, name)
        if isinstance(prepared, ItemResult):
            report(i, prepared)
            continue
        group.append((i, prepared))
        if sum(1 for _, p in group for r in p.recordings if r is not None) >= batch:
            flush()
    if group:
        flush()
