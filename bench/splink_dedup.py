#!/usr/bin/env python3
"""Deduplicates a person-records file with Splink 5 (DuckDB backend), for bench/run.py.

    python3 splink_dedup.py NORMALISED.csv OUT_DIR [THREADS]

NORMALISED.csv is what `sijil dedup --normalised-out` writes: the records with their names
already normalised by Sijil's Arabic/Latin folding (loose keys) and consonant skeletons, so
that Splink starts from the same normalisation. The configuration follows what
`shared/research/dedup-lessons.md` calls careful: Jaro-Winkler name comparisons, the family
fields folded into one comparison (siblings share them), u by random sampling, m by EM on
sibling-poor blocks (first name and birth date; national number), blocking rules that include
normalised names and skeletons, term-frequency adjustments on names.

Writes OUT_DIR/pairs.csv (record_id_l, record_id_r, match_weight for every predicted pair
above a low floor) and OUT_DIR/clusters.csv (clusters at match probability 0.5).
"""

import sys
import time

import duckdb
import splink.comparison_library as cl
import splink.comparison_level_library as cll
from splink import DuckDBAPI, Linker, SettingsCreator, block_on


def main():
    src, out = sys.argv[1], sys.argv[2]
    threads = int(sys.argv[3]) if len(sys.argv) > 3 else 2
    con = duckdb.connect()
    con.execute(f"SET threads TO {threads}")
    con.execute(
        f"""
        CREATE TABLE people AS
        SELECT record_id AS unique_id, * EXCLUDE (record_id),
               NULLIF(substr(birth_date, 1, 4), '') AS birth_year
        FROM read_csv('{src}', all_varchar = true, header = true)
        """
    )
    # Empty strings are missing values.
    cols = [r[0] for r in con.execute("DESCRIBE people").fetchall()]
    for c in cols:
        if c != "unique_id":
            con.execute(f"UPDATE people SET {c} = NULL WHERE {c} = ''")
    db = DuckDBAPI(con)
    df = db.register("people")

    def jw(col, a, b):
        return f"jaro_winkler_similarity({col}_l, {col}_r) >= {a} AND jaro_winkler_similarity({col}_l, {col}_r) >= {b}"

    family = cl.CustomComparison(
        output_column_name="family_context",
        comparison_levels=[
            cll.CustomLevel(
                "father_name_norm_l IS NULL AND family_name_norm_l IS NULL AND mother_name_norm_l IS NULL"
                " OR father_name_norm_r IS NULL AND family_name_norm_r IS NULL AND mother_name_norm_r IS NULL"
            ).configure(is_null_level=True),
            cll.CustomLevel(
                "father_name_norm_l = father_name_norm_r AND family_name_norm_l = family_name_norm_r"
                " AND mother_name_norm_l = mother_name_norm_r",
                "father, family, mother equal",
            ),
            cll.CustomLevel(
                "father_name_norm_l = father_name_norm_r AND family_name_norm_l = family_name_norm_r",
                "father, family equal",
            ),
            cll.CustomLevel(
                "family_name_norm_l = family_name_norm_r AND mother_name_norm_l = mother_name_norm_r",
                "family, mother equal",
            ),
            cll.CustomLevel(
                "jaro_winkler_similarity(father_name_norm_l, father_name_norm_r) >= 0.9"
                " AND jaro_winkler_similarity(family_name_norm_l, family_name_norm_r) >= 0.9",
                "father, family similar",
            ),
            cll.CustomLevel("family_name_norm_l = family_name_norm_r", "family equal"),
            cll.CustomLevel(
                "jaro_winkler_similarity(family_name_norm_l, family_name_norm_r) >= 0.88",
                "family similar",
            ),
            cll.ElseLevel(),
        ],
    )
    date = cl.CustomComparison(
        output_column_name="birth_date",
        comparison_levels=[
            cll.NullLevel("birth_date"),
            cll.ExactMatchLevel("birth_date"),
            cll.CustomLevel(
                "length(birth_date_l) >= 7 AND substr(birth_date_l, 1, 7) = substr(birth_date_r, 1, 7)",
                "same year and month",
            ),
            cll.CustomLevel("birth_year_l = birth_year_r", "same year"),
            cll.CustomLevel(
                "abs(try_cast(birth_year_l AS INTEGER) - try_cast(birth_year_r AS INTEGER)) = 1",
                "a year apart",
            ),
            cll.ElseLevel(),
        ],
    )
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("first_name_norm", [0.92, 0.85]).configure(
                term_frequency_adjustments=True
            ),
            family,
            cl.JaroWinklerAtThresholds("grandfather_name_norm", [0.92]),
            cl.JaroWinklerAtThresholds("mother_family_name_norm", [0.92]),
            date,
            cl.ExactMatch("sex"),
            cl.JaroWinklerAtThresholds("birth_place_norm", [0.9]),
            cl.ExactMatch("national_number"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("first_name_skel", "family_name_skel", "birth_year"),
            block_on("first_name_norm", "father_name_norm", "family_name_norm"),
            block_on("family_name_norm", "birth_date"),
            block_on("first_name_norm", "birth_date"),
            block_on("national_number"),
        ],
        retain_intermediate_calculation_columns=False,
    )
    linker = Linker(df, settings, log_level=30)
    t = time.time()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("national_number")], recall=0.2
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e7, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("first_name_norm", "birth_date"), record_sample_proportion=1.0
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("national_number"), record_sample_proportion=1.0
    )
    print(f"splink: trained in {time.time() - t:.1f}s", file=sys.stderr)
    t = time.time()
    pred = linker.inference.predict(threshold_match_weight=-10)
    pairs = pred.as_duckdbpyrelation().select("unique_id_l, unique_id_r, match_weight")
    pairs.write_csv(f"{out}/pairs.csv")
    print(f"splink: predicted in {time.time() - t:.1f}s", file=sys.stderr)
    t = time.time()
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(
        pred, threshold_match_probability=0.5
    )
    clusters.as_duckdbpyrelation().select("unique_id AS record_id, cluster_id").write_csv(
        f"{out}/clusters.csv"
    )
    print(f"splink: clustered in {time.time() - t:.1f}s", file=sys.stderr)


if __name__ == "__main__":
    main()
