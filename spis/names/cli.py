"""Command-line logic for `spis match`, kept free of Django so it can be tested and benchmarked directly."""

from __future__ import annotations

import json
import multiprocessing
from collections.abc import Iterator
from itertools import islice
from typing import TextIO

from spis.names.match import MatchResult, match


def format_result(result: MatchResult, as_json: bool) -> str:
    """One result as JSON ({"score", "same", "explanation"}) or a readable line."""
    if as_json:
        return json.dumps(
            {"score": result.score, "same": result.same, "explanation": result.explanation},
            ensure_ascii=False,
        )
    verdict = "same person" if result.same else "different people"
    return f"{result.score:.4f}  {verdict}  ({result.explanation})"


def _match_lines(start: int, lines: list[str]) -> tuple[str, list[str]]:
    """Match a chunk of TSV lines; return the output text and the error messages (with absolute line numbers)."""
    out: list[str] = []
    errors: list[str] = []
    for lineno, raw in enumerate(lines, start=start):
        line = raw.rstrip("\r\n")
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) not in (2, 3, 4):
            errors.append(f"line {lineno}: expected 2 or 4 tab-separated fields, got {len(fields)}")
            continue
        a, b = fields[0], fields[1]
        birth_a = (fields[2] or None) if len(fields) > 2 else None
        birth_b = (fields[3] or None) if len(fields) > 3 else None
        try:
            result = match(a, b, birth_a, birth_b)
        except ValueError as exc:
            errors.append(f"line {lineno}: {exc}")
            continue
        out.append(f"{a}\t{b}\t{result.score:.4f}\t{1 if result.same else 0}\n")
    return "".join(out), errors


def _chunks(infile: TextIO, size: int) -> Iterator[tuple[int, list[str]]]:
    start = 1
    while True:
        lines = list(islice(infile, size))
        if not lines:
            return
        yield start, lines
        start += len(lines)


def _match_chunk(args: tuple[int, list[str]]) -> tuple[str, list[str]]:
    return _match_lines(*args)


def run_pairs(infile: TextIO, outfile: TextIO, errfile: TextIO, chunk: int = 4096, workers: int = 1) -> int:
    """Match TSV lines ``name_a<TAB>name_b[<TAB>birth_a<TAB>birth_b]``; write ``name_a name_b score same(1|0)``.

    Output keeps input order. A bad line is reported on ``errfile`` with its line number and skipped; the return
    value is the number of bad lines (the caller turns it into the exit status). ``workers`` > 1 matches chunks in
    that many processes (each with its own name cache), still writing in input order.
    """
    if workers < 1:
        raise ValueError("workers must be at least 1")
    n_errors = 0
    if workers == 1:
        results: Iterator[tuple[str, list[str]]] = (
            _match_lines(s, lines) for s, lines in _chunks(infile, chunk)
        )
        for text, errors in results:
            n_errors += _emit(text, errors, outfile, errfile)
        return n_errors
    # fork keeps the loaded given-name table; imap keeps input order and streams.
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(workers) as pool:
        for text, errors in pool.imap(_match_chunk, _chunks(infile, chunk)):
            n_errors += _emit(text, errors, outfile, errfile)
    return n_errors


def _emit(text: str, errors: list[str], outfile: TextIO, errfile: TextIO) -> int:
    if text:
        outfile.write(text)
    for message in errors:
        errfile.write(message + "\n")
    return len(errors)
