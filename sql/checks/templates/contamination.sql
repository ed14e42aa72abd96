-- check:    cascade contamination (SPEC §6), on every table with critical fields.
-- template: __rows__ = the rows judged: the table's rows of the range, or the table's
--           contamination_rows.sql (its rows with the columns the predicates read and a
--           source_gap flag); __valid__ = one count per critical field, generated from
--           the table.toml predicates: valid_<field> = rows judged that satisfy it.
-- grain:    one row per date in [@start_date, @end_date] that has rows.
-- verdict inputs: rows_checked = rows that are not source gaps; source_gap_rows = rows
--           whose raw source never had the data (SPEC §6: counted apart, never judged);
--           valid_<field> per field. The check turns each share of rows_checked into
--           CLEAN ≥ 99% / PARTIAL ≥ 50% / CONTAMINATED < 50% per date.
SELECT
  check_date,
  CAST(COUNTIF(NOT source_gap) AS INT64) AS rows_checked,
  CAST(COUNTIF(source_gap) AS INT64) AS source_gap_rows,
  __valid__
FROM __rows__
GROUP BY check_date
