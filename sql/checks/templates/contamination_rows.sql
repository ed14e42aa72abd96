-- rows:     a table's own rows of [@start_date, @end_date], none a source gap: what the
--           contamination template judges when the table has no contamination_rows.sql.
-- template: __table__ = the table, __date__ = its partition column.
SELECT *, __date__ AS check_date, FALSE AS source_gap
FROM __table__
WHERE __date__ BETWEEN @start_date AND @end_date
