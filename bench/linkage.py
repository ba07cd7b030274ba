"""Record linkage accuracy on persons-20k (issue 3): our standardised Splink model beside plain
Splink (default-style name and date comparisons, no transliteration handling) on the same data
in the same run. F1 is pairwise over the final clusters.

    .venv/bin/python bench/linkage.py [--data DIR] [--threshold P]
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import asdict
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import splink.comparison_library as cl
from splink import Linker, SettingsCreator, block_on
from splink.backends.duckdb import DuckDBAPI

from tiltas.linkage.engine.evaluation import blocking_recall, pairwise_score
from tiltas.linkage.engine.model import BLOCKING_RULES, LinkageSettings, records_link
from tiltas.linkage.engine.records_file import records_read
from tiltas.linkage.engine.standardise import records_standardise

DEFAULT_DATA = Path(__file__).resolve().parent.parent.parent / "shared/reference/linkage-data"
ORIGINS = ("uk", "ru", "lt", "en")


def plain_splink(rows: list[dict[str, str]], threshold: float) -> dict[str, str]:
    """Splink as a newcomer would set it up: lower-cased raw columns, library comparisons,
    broad blocking on raw values."""
    columns = ["record_id", "given_name", "family_name", "date_of_birth", "sex", "citizenship"]
    table = {
        column: [(row[column].strip().lower() or None) if column != "record_id" else row[column]
                 for row in rows]
        for column in columns
    }  # fmt: skip
    settings = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="record_id",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("date_of_birth", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("citizenship").configure(term_frequency_adjustments=True),
        ],
        blocking_rules_to_generate_predictions=[
            # Broad: any one field equal (raw, lower-cased) makes a candidate pair.
            block_on("given_name"),
            block_on("family_name"),
            block_on("date_of_birth"),
        ],
    )
    db_api = DuckDBAPI()
    linker = Linker(db_api.register(table), settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "date_of_birth")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=2e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "family_name")
    )
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("date_of_birth"))
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        predictions, threshold_match_probability=threshold
    )
    cluster_of = {str(row["record_id"]): str(row["record_id"]) for row in rows}
    for row in clusters.as_record_list():
        cluster_of[str(row["record_id"])] = str(row["cluster_id"])
    return cluster_of


def chapman(persons_by_source: Mapping[str, set[str]], first: str, second: str) -> float:
    """The two-list (Chapman) estimate of the population from two sources' person sets."""
    left, right = persons_by_source[first], persons_by_source[second]
    both = len(left & right)
    return (len(left) + 1) * (len(right) + 1) / (both + 1) - 1


def report(
    name: str,
    seconds: float,
    cluster_of: Mapping[str, str],
    truth: Mapping[str, str],
    origin: Mapping[str, str],
    source: Mapping[str, str],
) -> dict[str, float]:
    score = pairwise_score(predicted=cluster_of, truth=truth)
    persons = len(set(cluster_of.values()))
    true_persons = len(set(truth.values()))
    figures = {
        "seconds": seconds,
        "F1": score.f1,
        "precision": score.precision,
        "recall": score.recall,
        "persons": persons,
        "persons vs truth %": 100 * (persons - true_persons) / true_persons,
    }
    for code in ORIGINS:
        records = [rid for rid in truth if origin[rid] == code]
        figures[f"recall {code}"] = pairwise_score(
            predicted=cluster_of, truth=truth, only=records
        ).recall
    ours: dict[str, set[str]] = {}
    real: dict[str, set[str]] = {}
    for rid in truth:
        ours.setdefault(source[rid], set()).add(cluster_of[rid])
        real.setdefault(source[rid], set()).add(truth[rid])
    worst = max(
        abs(chapman(ours, a, b) - chapman(real, a, b)) / chapman(real, a, b)
        for a, b in combinations(sorted(real), 2)
    )
    figures["worst Chapman error %"] = 100 * worst
    return figures


def timed(run: Callable[[], dict[str, str]]) -> tuple[float, dict[str, str]]:
    started = time.perf_counter()
    result = run()
    return time.perf_counter() - started, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--threshold", type=float, default=LinkageSettings().cluster_threshold)
    args = parser.parse_args()
    path = args.data / "persons-20k.csv"
    with (args.data / "persons-20k-truth.csv").open(encoding="utf-8") as stream:
        truth_rows = list(csv.DictReader(stream))
    truth = {row["record_id"]: row["person_id"] for row in truth_rows}
    origin = {row["record_id"]: row["origin"] for row in truth_rows}
    with path.open(encoding="utf-8") as stream:
        rows = list(csv.DictReader(stream))
    source = {row["record_id"]: row["source"] for row in rows}

    def ours() -> dict[str, str]:
        records = records_standardise(records_read(path).records)
        settings = LinkageSettings(cluster_threshold=args.threshold)
        return records_link(records=records, settings=settings).cluster_of

    standard = records_standardise(records_read(path).records)
    recall = blocking_recall(rows=[asdict(r) for r in standard], truth=truth, rules=BLOCKING_RULES)
    results = {
        "Tiltas": report("Tiltas", *timed(ours), truth, origin, source),
        "plain Splink": report(
            "plain", *timed(lambda: plain_splink(rows, args.threshold)), truth, origin, source
        ),
    }
    print(f"persons-20k: {len(rows)} records, {len(set(truth.values()))} persons; "
          f"cluster threshold {args.threshold}")  # fmt: skip
    print(f"blocking recall (Tiltas rules): {recall:.4f}")
    print(f"{'':24}" + "".join(f"{name:>14}" for name in results))
    for key in results["Tiltas"]:
        values = [results[name][key] for name in results]
        fmt = "{:>14.0f}" if key == "persons" else "{:>14.4f}" if key != "seconds" else "{:>14.1f}"
        print(f"{key:24}" + "".join(fmt.format(value) for value in values))


if __name__ == "__main__":
    main()
