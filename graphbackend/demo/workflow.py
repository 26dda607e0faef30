"""A small word-statistics pipeline, written as an ordinary redun workflow.

``main`` writes a few text files, counts the words of each in parallel
(``count_words``), merges the counts (``merge_counts``) and writes a report
File (``write_report``): nested tasks, Files as arguments and results, and
dataflow between calls, so its provenance graph has something to show.
"""

from __future__ import annotations

import json
import os
from collections import Counter
from typing import Dict, List

from redun import File, task

redun_namespace = "graphbackend_demo"

TEXTS = {
    "alpha.txt": "the graph keeps the calls and the calls keep the values",
    "beta.txt": "every value has a hash and every hash names one value",
    "gamma.txt": "a cached call returns the value it returned before",
}


@task()
def write_text(path: str, text: str) -> File:
    """Write one input text file."""
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        out.write(text + "\n")
    return File(path)


@task()
def count_words(text_file: File) -> Dict[str, int]:
    """Count the words of one file."""
    return dict(Counter(str(text_file.read()).split()))


@task()
def merge_counts(counts: List[Dict[str, int]]) -> Dict[str, int]:
    """Add up word counts."""
    total: Counter = Counter()
    for count in counts:
        total.update(count)
    return dict(total)


@task()
def write_report(counts: Dict[str, int], path: str) -> File:
    """Write the ten most common words as JSON."""
    top = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:10]
    with open(path, "w") as out:
        json.dump(dict(top), out, indent=2)
    return File(path)


@task()
def main(work_dir: str) -> File:
    """The whole pipeline: texts -> counts -> merged counts -> report."""
    files = [write_text(os.path.join(work_dir, name), text) for name, text in TEXTS.items()]
    counts = [count_words(text_file) for text_file in files]
    return write_report(merge_counts(counts), os.path.join(work_dir, "report.json"))
