"""sqlglot's BigQuery parser, without a deep copy of every FROM and JOIN source (for the
test emulator, which parses each statement it receives a dozen times).

For BigQuery's implicit UNNEST (``FROM t, t.items AS i``) sqlglot 30.11's parser
(``Parser._implicit_unnests_to_explicit``, run on every SELECT with a FROM) normalizes a
full copy of each FROM and JOIN source to read its alias or name. A source that is a
subquery is copied with its whole body, at each level of nesting, so a statement built as
subqueries within subqueries (``SELECT ... FROM (SELECT ... FROM (the file's query)))``, as
our range writes are) costs time quadratic in its depth. Only the alias (a table's parts)
is read, so a source with an alias is normalized as an empty node of its kind holding a
copy of that alias; a table or a source without an alias is copied whole as before. The
rest is sqlglot's code (MIT licence), unchanged. The parsed trees are identical
(``nba_backfill_tests/warehouse/test_emulator_patches.py``); parsing our range statements
takes half the time.
"""

from __future__ import annotations

from sqlglot import exp
from sqlglot.optimizer.normalize_identifiers import normalize_identifiers
from sqlglot.parser import Parser


def _named_copy(source: exp.Expression) -> exp.Expression:
    alias = source.args.get("alias")
    if isinstance(source, exp.Table) or alias is None:
        return source.copy()
    return type(source)(alias=alias.copy())


def implicit_unnests_to_explicit(self: Parser, this: exp.Expression) -> exp.Expression:
    refs = {normalize_identifiers(_named_copy(this.args["from_"].this), dialect=self.dialect).alias_or_name}
    for join in this.args.get("joins") or []:
        table = join.this
        normalized_table = _named_copy(table)
        normalized_table.meta["maybe_column"] = True
        normalized_table = normalize_identifiers(normalized_table, dialect=self.dialect)

        if isinstance(table, exp.Table) and not join.args.get("on"):
            if len(normalized_table.parts) > 1 and normalized_table.parts[0].name in refs:
                table_as_column = table.to_column()
                unnest = exp.Unnest(expressions=[table_as_column])

                # Table.to_column creates a parent Alias node that we want to convert to
                # a TableAlias and attach to the Unnest, so it matches the parser's output
                if isinstance(table.args.get("alias"), exp.TableAlias):
                    table_as_column.replace(table_as_column.this)
                    exp.alias_(unnest, None, table=[table.args["alias"].this], copy=False)

                table.replace(unnest)

        refs.add(normalized_table.alias_or_name)

    return this


def install() -> None:
    Parser._implicit_unnests_to_explicit = implicit_unnests_to_explicit
