"""Load real stats.nba.com exports (CSV files written from nba_api) into the Phase 2 tables.

What each export becomes (docs/real-data.md has the how-to and the choices in prose):

- player game logs (PlayerGameLogs, LeagueGameLog player mode) → ``nbac_gamebook_player_stats``
  (every row an active player) and, per team and game, ``nbac_team_boxscore`` summed from
  the players wherever no team game log covers that team;
- team game logs (LeagueGameLog / TeamGameLogs team mode) → ``nbac_team_boxscore``;
- the schedule: a schedule export (ScheduleLeagueV2) when given, otherwise one final game
  per game found in the logs (home/away from MATCHUP, scores from the team rows);
- shot chart detail (ShotChartDetail) → ``nbac_play_by_play`` field-goal events. Not
  bigdataball: the shot chart is NBA.com's own feed and has no assister or blocker, and
  Phase 3 counts assisted makes from bigdataball's roles, so bigdataball-shaped rows would
  turn "unknown" into "0 assisted". In the fallback table the zones are used (source
  ``nbac_pbp``), the assisted counts stay NULL, and a real BigDataBall load still wins.

Every file is read and checked before anything is written: a file that cannot be used at
all raises ``UserError``; a row that cannot be used is skipped and reported as
``file:line: reason``. A load replaces exactly the dates its files cover, table by table
(a date in no file is never touched), so loading the same files again changes nothing.
All tables of a run of consecutive dates are written in one transaction: a date is never
left half-loaded.

A date with an unusable row (a wrong type, a missing or contradicting value) is **held
back**: none of its rows is written, so the warehouse keeps what it had for that date.
Replacing it with the other rows would delete the earlier, good copy of the bad row and
sum its team's box score without that player. When a row's date cannot be told (neither
its date nor its game id can be read, or its game is in no other row), nothing is written
at all. Rows left out on purpose (preseason and All-Star games, a row superseded by a later
copy of itself) hold nothing back.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterable, Sequence

import pandas as pd
from sqlglot import exp

from nba_backfill.errors import UserError
from nba_backfill.ingest import csv_formats as fmt
from nba_backfill.ingest.csv_formats import BadValue, CsvFile
from nba_backfill.seasons import load_calendar
from nba_backfill.warehouse import Warehouse
from nba_backfill.warehouse.base import parameter

SCHEDULE = "nba_raw.nbac_schedule"
TEAM_BOX = "nba_raw.nbac_team_boxscore"
GAMEBOOK = "nba_raw.nbac_gamebook_player_stats"
SHOTS = "nba_raw.nbac_play_by_play"

# Box-score columns: export column key → (gamebook name, team box score name).
STATS = {
    "fgm": ("field_goals_made", "fg_made"),
    "fga": ("field_goals_attempted", "fg_attempted"),
    "fg3m": ("three_pointers_made", "three_pt_made"),
    "fg3a": ("three_pointers_attempted", "three_pt_attempted"),
    "ftm": ("free_throws_made", "ft_made"),
    "fta": ("free_throws_attempted", "ft_attempted"),
    "oreb": ("offensive_rebounds", "offensive_rebounds"),
    "dreb": ("defensive_rebounds", "defensive_rebounds"),
    "reb": ("total_rebounds", "total_rebounds"),
    "ast": ("assists", "assists"),
    "stl": ("steals", "steals"),
    "blk": ("blocks", "blocks"),
    "tov": ("turnovers", "turnovers"),
    "pf": ("personal_fouls", "personal_fouls"),
    "pts": ("points", "points"),
}
REQUIRED_STATS = [k for k in STATS if k != "reb"]  # REB defaults to OREB + DREB

# Alternative header keys (see csv_formats.column_key) for one logical column.
TEAM_KEYS = ("teamabbreviation", "teamtricode", "team", "teamid")
SEASON_TYPE_KEYS = ("seasontype", "seasontypeid", "seasonid", "gamelabel")
SCHEDULE_KEYS = {
    "date": ("gamedateest", "gamedate"),
    "home": ("hometeamteamtricode", "hometeamtricode", "hometeamabbreviation", "htm",
             "hometeamteamid", "hometeamid"),
    "away": ("awayteamteamtricode", "awayteamtricode", "awayteamabbreviation",
             "visitorteamabbreviation", "vtm", "awayteamteamid", "awayteamid", "visitorteamid"),
    "home_score": ("hometeamscore", "homescore", "ptshome"),
    "away_score": ("awayteamscore", "awayscore", "visitorteamscore", "ptsaway"),
    "status": ("gamestatus", "gamestatusid"),
}  # fmt: skip

COLUMNS = {
    SCHEDULE: ["nba_game_id", "game_id", "game_date", "season_year", "game_status",
               "home_team_tricode", "away_team_tricode", "home_team_score", "away_team_score",
               "is_regular_season", "is_playoffs", "is_play_in", "processed_at"],
    TEAM_BOX: ["game_id", "game_date", "team_abbr", "is_home", "minutes",
               *[team for _, team in STATS.values()], "plus_minus", "processed_at"],
    GAMEBOOK: ["game_id", "game_date", "player_lookup", "player_name", "team_abbr",
               "player_status", "dnp_reason", "minutes",
               *[book for book, _ in STATS.values()], "plus_minus", "processed_at"],
    SHOTS: ["game_id", "game_date", "event_id", "period", "event_type", "shot_made",
            "shot_type", "shot_distance", "player_1_lookup", "player_1_team_abbr",
            "processed_at"],
}  # fmt: skip
INT_COLUMNS = {"season_year", "game_status", "home_team_score", "away_team_score", "event_id",
               "period", "plus_minus", *[c for pair in STATS.values() for c in pair]}  # fmt: skip
BOOL_COLUMNS = {"is_regular_season", "is_playoffs", "is_play_in", "is_home", "shot_made"}


@dataclass(frozen=True)
class SkippedRow:
    file: str
    line: int
    reason: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.reason}"


@dataclass
class LoadReport:
    rows_by_table: dict[str, int]
    dates: list[dt.date]
    skipped: list[SkippedRow]
    warnings: list[str] = field(default_factory=list)  # e.g. a game with one side missing
    held_back: list[dt.date] = field(default_factory=list)  # dates with an unusable row
    unusable: int = 0  # skipped rows that are errors (not preseason, not superseded)
    unplaced: bool = False  # an unusable row's date could not be told: nothing written

    SHOWN = 20  # skipped rows (and warnings) listed before "... and N more"

    def error(self) -> str | None:
        """One line when the load did not take everything in (the CLI exits 1), else None."""
        if self.unplaced:
            return (f"nothing loaded: {_rows(self.unusable)} unusable, and the date of at least one cannot be "
                    "told; the warehouse is unchanged. Fix the rows listed and load again")
        if self.held_back:
            return (f"{_rows(self.unusable)} unusable: dates {_date_runs(self.held_back)} not loaded (the "
                    "warehouse keeps what it had for them). Fix the rows listed and load again")
        if not self.rows_by_table:
            return "nothing loaded: the files have no usable rows"
        return None

    def lines(self) -> list[str]:
        """A human summary: rows per table, dates covered, every skipped row (capped)."""
        if not self.rows_by_table:
            out = ["nothing loaded" + ("" if self.unusable else ": the files have no usable rows")]
        else:
            out = [f"{table}: {_rows(n)}" for table, n in sorted(self.rows_by_table.items())]
            out.append(f"dates: {len(self.dates)} ({_date_runs(self.dates)})")
        for title, items in (("skipped", self.skipped), ("warnings", self.warnings)):
            if items:
                out.append(f"{title}: {_rows(len(items)) if title == 'skipped' else len(items)}")
                out.extend(f"  {item}" for item in items[: self.SHOWN])
                if len(items) > self.SHOWN:
                    out.append(f"  ... and {len(items) - self.SHOWN} more")
        return out


def load_files(
    warehouse: Warehouse,
    player_logs: Sequence[Path],
    team_logs: Sequence[Path] = (),
    shots: Sequence[Path] = (),
    schedule: Path | None = None,
) -> LoadReport:
    """Read the exports, then replace the dates they cover in the raw tables of
    ``warehouse`` (set up already: the CLI calls ``setup()`` first)."""
    files = _Files.open(player_logs, team_logs, shots, schedule)
    loader = _Loader()
    if files.schedule:
        loader.read(files.schedule, loader.schedule_row)
    for file in files.team_logs:
        loader.read(file, loader.team_row)
    for file in files.player_logs:
        loader.read(file, loader.player_row)
    for file in files.shots:
        loader.read(file, loader.shot_row)
    frames = loader.frames(warehouse, has_schedule_file=files.schedule is not None)
    held, unplaced = loader.held_back()
    if unplaced:
        frames = {}
    elif held:
        frames = {t: f[~f["game_date"].isin(held)] for t, f in frames.items()}
        frames = {t: f for t, f in frames.items() if len(f)}
    _write(warehouse, frames)
    dates = sorted({d for frame in frames.values() for d in frame["game_date"]})
    return LoadReport(
        rows_by_table={table: len(frame) for table, frame in frames.items()},
        dates=dates,
        skipped=loader.skipped,
        warnings=loader.warnings,
        held_back=sorted(held),
        unusable=len(loader.unusable),
        unplaced=unplaced,
    )


# -- files ------------------------------------------------------------------------------


@dataclass
class _Files:
    player_logs: list[CsvFile]
    team_logs: list[CsvFile]
    shots: list[CsvFile]
    schedule: CsvFile | None

    @classmethod
    def open(cls, player_logs, team_logs, shots, schedule) -> _Files:
        """Open every file and check its columns before any row is read."""
        found = cls(
            [_check(fmt.open_csv(p, "player game log"), "player game log") for p in player_logs],
            [_check(fmt.open_csv(p, "team game log"), "team game log") for p in team_logs],
            [_check(fmt.open_csv(p, "shot chart"), "shot chart") for p in shots],
            _check(fmt.open_csv(schedule, "schedule"), "schedule") if schedule else None,
        )
        if not (found.player_logs or found.team_logs or found.shots or found.schedule):
            raise UserError("no files to load: give --player-logs (and optionally more)")
        return found


def _check(file: CsvFile, what: str) -> CsvFile:
    """Raise a one-line UserError when ``file`` lacks a column its kind needs."""
    need: list[tuple[str, tuple[str, ...]]] = [("GAME_ID", ("gameid",)), ("GAME_DATE", ("gamedate",))]
    if what in ("player game log", "team game log"):
        need += [("MATCHUP", ("matchup",)), ("MIN", ("min",)), ("TEAM_ABBREVIATION", TEAM_KEYS)]
        need += [(k.upper(), (k,)) for k in REQUIRED_STATS]
        if what == "player game log":
            need.append(("PLAYER_NAME", ("playername",)))
        elif file.has("playername"):
            raise UserError(f"team game log {file.label} has PLAYER_NAME: pass it with --player-logs")
    elif what == "shot chart":
        need += [("PLAYER_NAME", ("playername",)), ("TEAM_ID", ("teamid", "teamabbreviation")),
                 ("SHOT_MADE_FLAG", ("shotmadeflag", "eventtype"))]  # fmt: skip
    else:
        need = [("gameId", ("gameid",)), ("gameDateEst", SCHEDULE_KEYS["date"]),
                ("homeTeam_teamTricode", SCHEDULE_KEYS["home"]),
                ("awayTeam_teamTricode", SCHEDULE_KEYS["away"])]  # fmt: skip
    missing = [name for name, keys in need if not file.has(*keys)]
    if missing:
        hint = " (a team game log? pass it with --team-logs)" if "PLAYER_NAME" in missing else ""
        raise UserError(f"{what} {file.label} lacks column(s) {', '.join(missing)}{hint}")
    return file


def _first(row: dict[str, str], keys: Iterable[str]) -> str:
    """The first non-empty value among alternative column keys ('' when none)."""
    return next((row[k] for k in keys if row.get(k)), "")


# -- rows -------------------------------------------------------------------------------


@dataclass
class _Game:
    nba_game_id: str
    game_date: dt.date
    home: str
    away: str
    kind: str
    where: str

    @property
    def game_id(self) -> str:
        return f"{self.game_date:%Y%m%d}_{self.away}_{self.home}"

    @property
    def label(self) -> str:
        return f"{self.away} @ {self.home} on {self.game_date}"


@dataclass
class _Line:
    """One player's or one team's box score in one game."""

    where: str
    nba_game_id: str
    team: str
    seconds: int
    stats: dict[str, int]
    plus_minus: int | None
    name: str = ""
    lookup: str = ""
    summed: bool = False  # a team line added up from its players


@dataclass
class _Shot:
    where: str
    nba_game_id: str
    game_date: dt.date
    event_id: int | None
    period: int | None
    made: bool
    shot_type: str | None
    distance: float | None
    lookup: str
    team: str
    home_away: tuple[str, str] | None  # (HTM, VTM) when the export has them
    game_id: str | None = None


class _Loader:
    """Parses rows into games, box-score lines and shots; builds the tables' frames."""

    def __init__(self) -> None:
        self.skipped: list[SkippedRow] = []
        # unusable rows: (date the row names, NBA game id it names), each None if unreadable
        self.unusable: list[tuple[dt.date | None, str | None]] = []
        self.warnings: list[str] = []
        self.games: dict[str, _Game] = {}
        self.schedule: dict[str, tuple[int, int | None, int | None]] = {}  # status, scores
        self.team_lines: dict[tuple[str, str], _Line] = {}
        self.player_lines: dict[tuple[str, str, str], _Line] = {}
        self.shots: dict[tuple[str, int], _Shot] = {}
        self.unnumbered_shots: list[_Shot] = []
        self.team_ids: dict[str, str] = {}  # TEAM_ID → tricode seen in the logs
        self.calendar = load_calendar()

    def read(self, file: CsvFile, handle: Callable[[str, dict[str, str]], None]) -> None:
        try:
            for line, row in file.rows():
                try:
                    handle(f"{file.label}:{line}", row)
                except fmt.NotLoaded as problem:
                    self.skipped.append(SkippedRow(file.label, line, str(problem)))
                except BadValue as problem:
                    self.skipped.append(SkippedRow(file.label, line, str(problem)))
                    self.unusable.append((_row_date(row), _row_game(row)))
        except (OSError, UnicodeDecodeError, csv.Error) as error:  # nothing is written yet
            raise UserError(f"cannot read {file.label}: {error}") from None

    def held_back(self) -> tuple[set[dt.date], bool]:
        """(dates with an unusable row, whether some unusable row has no date that can be
        told). A row holds back the date it states and its game's date (from the other
        rows), both when they differ: either may be the date it was meant for."""
        held: set[dt.date] = set()
        for day, nba_game_id in self.unusable:
            game = self.games.get(nba_game_id) if nba_game_id else None
            if day is None and game is None:
                return held, True
            held.update(d for d in (day, game and game.game_date) if d is not None)
        return held, False

    def _skip_superseded(self, old: _Line | _Shot, new_where: str, what: str) -> None:
        file, line = old.where.rsplit(":", 1)
        self.skipped.append(SkippedRow(file, int(line), f"{what} again at {new_where}; kept that row"))

    # -- shared parsing --------------------------------------------------------------

    def _game_key(self, row: dict[str, str]) -> tuple[str, dt.date, str]:
        """(nba game id, date, kind) of a row; only loaded kinds, only in-season dates."""
        nba_game_id = fmt.parse_game_id(row.get("gameid", ""))
        game_date = fmt.parse_date(_first(row, SCHEDULE_KEYS["date"]))
        kind = fmt.kind_from_game_id(nba_game_id)
        if kind is None:
            labels = [fmt.kind_from_label(row[k]) for k in SEASON_TYPE_KEYS if row.get(k)]
            kind = next((k for k in labels if k), None)
        if kind is None:
            raise BadValue(f"cannot tell the season type of game {nba_game_id} (not an NBA game id)")
        if kind not in fmt.LOADED_KINDS:  # preseason games fall outside the seasons: ask first
            raise fmt.NotLoaded(f"{kind} game {nba_game_id}: not loaded")
        try:
            self.calendar.season_of(game_date)
        except UserError:
            raise BadValue(f"{game_date} is outside every season in the calendar") from None
        return nba_game_id, game_date, kind

    def _team(self, row: dict[str, str], what: str = "row") -> str:
        """The row's tricode: TEAM_ABBREVIATION, else its TEAM_ID as the logs or the
        static table name it."""
        tricode = _first(row, ("teamabbreviation", "teamtricode", "team")).upper()
        team_id = row.get("teamid", "").removesuffix(".0")
        if tricode and team_id:
            self.team_ids.setdefault(team_id, tricode)
        tricode = tricode or self.team_ids.get(team_id) or fmt.team_from_id(team_id) or ""
        if not tricode:
            raise BadValue(f"{what} has no team" + (f" (unknown TEAM_ID {team_id})" if team_id else ""))
        return tricode

    def _register(self, where: str, nba_game_id: str, game_date, home, away, kind) -> _Game:
        """The game a row belongs to; rows disagreeing with the first sighting are bad."""
        game = self.games.get(nba_game_id)
        if game is None:
            game = self.games[nba_game_id] = _Game(nba_game_id, game_date, home, away, kind, where)
        elif (game.game_date, game.home, game.away) != (game_date, home, away):
            raise BadValue(
                f"game {nba_game_id} is {game.label} at {game.where}, "
                f"this row says {away} @ {home} on {game_date}"
            )
        return game

    def _box_line(self, where: str, row: dict[str, str], player: bool) -> _Line:
        nba_game_id, game_date, kind = self._game_key(row)
        name = lookup = ""
        if player:
            name = row.get("playername", "")
            lookup = fmt.player_lookup(name)
            if not lookup:
                raise BadValue(f"PLAYER_NAME {name!r} has no letters" if name else "no PLAYER_NAME")
        team = self._team(row, f"player {name}" if player else "row")
        first, opponent, is_home = fmt.parse_matchup(row.get("matchup", ""))
        if first != team:
            raise BadValue(f"MATCHUP {row['matchup']!r} is not from {team}'s side")
        seconds = (fmt.parse_minutes if player else fmt.team_log_seconds)(row.get("min", ""))
        stats = {k: fmt.parse_int(row.get(k, ""), k.upper()) for k in REQUIRED_STATS}
        reb = row.get("reb", "")
        stats["reb"] = fmt.parse_int(reb, "REB") if reb else stats["oreb"] + stats["dreb"]
        plus_minus = fmt.parse_optional_int(row.get("plusminus", ""), "PLUS_MINUS")
        home, away = (team, opponent) if is_home else (opponent, team)
        self._register(where, nba_game_id, game_date, home, away, kind)
        return _Line(where, nba_game_id, team, seconds, stats, plus_minus, name, lookup)

    # -- one handler per kind of file ------------------------------------------------

    def player_row(self, where: str, row: dict[str, str]) -> None:
        line = self._box_line(where, row, player=True)
        key = (line.nba_game_id, line.team, line.lookup)
        if key in self.player_lines:
            self._skip_superseded(self.player_lines[key], where, f"{line.name} in game {line.nba_game_id}")
        self.player_lines[key] = line

    def team_row(self, where: str, row: dict[str, str]) -> None:
        line = self._box_line(where, row, player=False)
        key = (line.nba_game_id, line.team)
        if key in self.team_lines:
            self._skip_superseded(self.team_lines[key], where, f"{line.team} in game {line.nba_game_id}")
        self.team_lines[key] = line

    def schedule_row(self, where: str, row: dict[str, str]) -> None:
        nba_game_id, game_date, kind = self._game_key(row)
        sides = []
        for side in ("home", "away"):
            text = _first(row, SCHEDULE_KEYS[side])
            tricode = fmt.team_from_id(text) if text.isdigit() else text.upper()
            if not tricode:
                raise BadValue(f"no {side} team" + (f" (unknown team id {text})" if text else ""))
            sides.append(tricode)
        status_text = _first(row, SCHEDULE_KEYS["status"])
        scores = [fmt.parse_optional_int(_first(row, SCHEDULE_KEYS[k]), k) for k in ("home_score", "away_score")]
        status = fmt.parse_int(status_text, "gameStatus") if status_text else (3 if None not in scores else 1)
        if status not in (1, 2, 3):
            raise BadValue(f"gameStatus {status_text!r} is not 1, 2 or 3")
        if status == 1:
            scores = [None, None]  # scheduled games carry 0-0 in ScheduleLeagueV2
        self._register(where, nba_game_id, game_date, sides[0], sides[1], kind)
        self.schedule[nba_game_id] = (status, scores[0], scores[1])

    def shot_row(self, where: str, row: dict[str, str]) -> None:
        nba_game_id, game_date, _ = self._game_key(row)
        name = row.get("playername", "")
        lookup = fmt.player_lookup(name)
        if not lookup:
            raise BadValue(f"PLAYER_NAME {name!r} has no letters" if name else "no PLAYER_NAME")
        team = self._team(row, f"shot by {name}")
        if row.get("shotmadeflag"):
            made = fmt.parse_bool(row["shotmadeflag"], "SHOT_MADE_FLAG")
        else:
            made = fmt.parse_bool(row.get("eventtype", ""), "EVENT_TYPE")
        shot = _Shot(
            where,
            nba_game_id,
            game_date,
            fmt.parse_optional_int(row.get("gameeventid", ""), "GAME_EVENT_ID"),
            fmt.parse_optional_int(row.get("period", ""), "PERIOD"),
            made,
            fmt.parse_shot_type(row.get("shottype", "")),
            fmt.parse_optional_float(row.get("shotdistance", ""), "SHOT_DISTANCE"),
            lookup,
            team,
            (row["htm"].upper(), row["vtm"].upper()) if row.get("htm") and row.get("vtm") else None,
        )
        if shot.event_id is None:
            self.unnumbered_shots.append(shot)
            return
        key = (nba_game_id, shot.event_id)
        if key in self.shots:
            self._skip_superseded(self.shots[key], where, f"event {shot.event_id} of game {nba_game_id}")
        self.shots[key] = shot

    # -- frames ----------------------------------------------------------------------

    def frames(self, warehouse: Warehouse, has_schedule_file: bool) -> dict[str, pd.DataFrame]:
        """One frame per table written, with the dates each covers (never empty)."""
        now = pd.Timestamp.now(tz="UTC")  # TIMESTAMP is a point in time (UTC)
        teams = self._team_level_lines()
        rows: dict[str, list[dict]] = defaultdict(list)
        for line in self.player_lines.values():
            rows[GAMEBOOK].append(self._gamebook_row(line))
        for line in teams.values():
            rows[TEAM_BOX].append(self._team_row(line, teams))
        if has_schedule_file:
            rows[SCHEDULE] = [self._schedule_row(g, *self.schedule[i]) for i, g in self.games.items() if i in self.schedule]
            for nba_game_id in sorted({g for g, _ in teams} - set(self.schedule)):
                self.warnings.append(f"game {nba_game_id} ({self.games[nba_game_id].label}) is in the logs but not in the schedule file")
        else:
            for nba_game_id in sorted({g for g, _ in teams}):
                game = self.games[nba_game_id]
                home, away = teams.get((nba_game_id, game.home)), teams.get((nba_game_id, game.away))
                for side, line in ((game.home, home), (game.away, away)):
                    if line is None:
                        self.warnings.append(f"game {nba_game_id} ({game.label}): no rows for {side}; its score is NULL")
                rows[SCHEDULE].append(
                    self._schedule_row(game, 3, home and home.stats["pts"], away and away.stats["pts"])
                )
        rows[SHOTS] = [self._shot_row(s) for s in self._resolved_shots(warehouse)]
        frames = {}
        for table, table_rows in rows.items():
            if table_rows:
                for row in table_rows:
                    row["processed_at"] = now
                frames[table] = _frame(table, table_rows)
        return frames

    def _team_level_lines(self) -> dict[tuple[str, str], _Line]:
        """Each team's line per game: its team-log row, else the sum of its players."""
        teams = dict(self.team_lines)
        by_team: dict[tuple[str, str], list[_Line]] = defaultdict(list)
        for line in self.player_lines.values():
            by_team[(line.nba_game_id, line.team)].append(line)
        for key, players in by_team.items():
            if key in teams:
                continue
            pms = [p.plus_minus for p in players]
            teams[key] = _Line(
                players[0].where,
                key[0],
                key[1],
                sum(p.seconds for p in players),
                {k: sum(p.stats[k] for p in players) for k in STATS},
                None if None in pms else sum(pms),  # = 5 x margin; see _team_row
                summed=True,
            )
        return teams

    def _team_row(self, line: _Line, teams: dict[tuple[str, str], _Line]) -> dict:
        game = self.games[line.nba_game_id]
        is_home = line.team == game.home
        opponent = teams.get((game.nba_game_id, game.away if is_home else game.home))
        if line.summed:  # players' +/- add up to five times the margin
            plus_minus = line.stats["pts"] - opponent.stats["pts"] if opponent else (
                None if line.plus_minus is None else round(line.plus_minus / 5))
        else:
            plus_minus = line.plus_minus
            if plus_minus is None and opponent:
                plus_minus = line.stats["pts"] - opponent.stats["pts"]
        row = {"game_id": game.game_id, "game_date": game.game_date, "team_abbr": line.team,
               "is_home": is_home, "minutes": fmt.team_minutes(line.seconds)}  # fmt: skip
        row.update({team: line.stats[k] for k, (_, team) in STATS.items()})
        row["plus_minus"] = plus_minus
        return row

    def _gamebook_row(self, line: _Line) -> dict:
        game = self.games[line.nba_game_id]
        row = {"game_id": game.game_id, "game_date": game.game_date, "player_lookup": line.lookup,
               "player_name": line.name, "team_abbr": line.team, "player_status": "active",
               "dnp_reason": None, "minutes": fmt.format_minutes(line.seconds)}  # fmt: skip
        row.update({book: line.stats[k] for k, (book, _) in STATS.items()})
        row["plus_minus"] = line.plus_minus
        return row

    def _schedule_row(self, game: _Game, status: int, home_score, away_score) -> dict:
        return {
            "nba_game_id": game.nba_game_id,
            "game_id": game.game_id,
            "game_date": game.game_date,
            "season_year": self.calendar.season_of(game.game_date).season_year,
            "game_status": status,
            "home_team_tricode": game.home,
            "away_team_tricode": game.away,
            "home_team_score": home_score,
            "away_team_score": away_score,
            # The NBA Cup final counts in no standings: none of the three flags.
            "is_regular_season": game.kind == fmt.REGULAR,
            "is_playoffs": game.kind == fmt.PLAYOFFS,
            "is_play_in": game.kind == fmt.PLAY_IN,
        }

    def _resolved_shots(self, warehouse: Warehouse) -> list[_Shot]:
        """Shots with their system game id: from this load's games, the export's HTM/VTM,
        else the warehouse schedule; unnumbered shots numbered after the game's last."""
        shots = list(self.shots.values()) + self.unnumbered_shots
        for shot in shots:
            if game := self.games.get(shot.nba_game_id):
                shot.game_id = game.game_id
            elif shot.home_away:
                shot.game_id = f"{shot.game_date:%Y%m%d}_{shot.home_away[1]}_{shot.home_away[0]}"
        unresolved = [s for s in shots if s.game_id is None]
        known = _warehouse_game_ids(warehouse, [s.game_date for s in unresolved]) if unresolved else {}
        resolved = []
        for shot in shots:
            shot.game_id = shot.game_id or known.get(shot.nba_game_id)
            if shot.game_id is None:
                file, line = shot.where.rsplit(":", 1)
                reason = (f"game {shot.nba_game_id} is in neither these files nor the warehouse "
                          "schedule (load its game logs too, or keep the HTM/VTM columns)")  # fmt: skip
                self.skipped.append(SkippedRow(file, int(line), reason))
                self.unusable.append((shot.game_date, shot.nba_game_id))
            else:
                resolved.append(shot)
        last = defaultdict(int)
        for shot in resolved:
            if shot.event_id is not None:
                last[shot.game_id] = max(last[shot.game_id], shot.event_id)
        for shot in resolved:
            if shot.event_id is None:
                last[shot.game_id] += 1
                shot.event_id = last[shot.game_id]
        return resolved

    def _shot_row(self, shot: _Shot) -> dict:
        return {
            "game_id": shot.game_id,
            "game_date": shot.game_date,
            "event_id": shot.event_id,
            "period": shot.period,
            "event_type": "fieldgoal",  # nbac_play_by_play's name for a shot (SPEC §2.6)
            "shot_made": shot.made,
            "shot_type": shot.shot_type,
            "shot_distance": shot.distance,
            "player_1_lookup": shot.lookup,
            "player_1_team_abbr": shot.team,
        }


def _row_date(row: dict[str, str]) -> dt.date | None:
    """The date an unusable row states, if it can be read (to hold that date back)."""
    try:
        return fmt.parse_date(_first(row, SCHEDULE_KEYS["date"]))
    except BadValue:
        return None


def _row_game(row: dict[str, str]) -> str | None:
    try:
        return fmt.parse_game_id(row.get("gameid", ""))
    except BadValue:
        return None


def _warehouse_game_ids(warehouse: Warehouse, dates: list[dt.date]) -> dict[str, str]:
    """nba_game_id → system game_id from the warehouse schedule over ``dates``' span."""
    if not warehouse.table_exists(SCHEDULE):
        return {}
    query = (
        exp.select("nba_game_id", "game_id")
        .from_(exp.to_table(SCHEDULE))
        .where(exp.column("game_date").between(parameter("start_date"), parameter("end_date")))
    )
    frame = warehouse.query_expression(query, {"start_date": min(dates), "end_date": max(dates)})
    return {str(n).zfill(10): g for n, g in zip(frame.nba_game_id, frame.game_id) if n and g}


def _frame(table: str, rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame(rows, columns=COLUMNS[table])
    for column in frame.columns:
        if column in INT_COLUMNS:
            frame[column] = frame[column].astype("Int64")
        elif column in BOOL_COLUMNS:
            frame[column] = frame[column].astype("boolean")
        elif column == "shot_distance":
            frame[column] = frame[column].astype("float64")
        elif column not in ("game_date", "processed_at"):
            frame[column] = frame[column].astype("string")
    return frame


# -- writing ----------------------------------------------------------------------------


def _write(warehouse: Warehouse, frames: dict[str, pd.DataFrame]) -> None:
    """Replace exactly the dates each table's frame covers.

    Dates are grouped into runs of consecutive days covered by the same tables; each run
    is one ``load_frames`` call (one transaction over all its tables) replacing just that
    run, so a day between two runs, or a table a run does not cover, is never touched.
    """
    if not frames:
        return
    coverage = {table: set(frame["game_date"]) for table, frame in frames.items()}
    for start, end, tables in _segments(coverage):
        chunk = {}
        for table in tables:
            frame = frames[table]
            chunk[table] = frame[(frame["game_date"] >= start) & (frame["game_date"] <= end)]
        warehouse.load_frames(chunk, ("game_date", start, end))


def _segments(coverage: dict[str, set[dt.date]]) -> list[tuple[dt.date, dt.date, tuple[str, ...]]]:
    """Runs of consecutive dates with the same covering tables: (start, end, tables)."""
    segments: list[tuple[dt.date, dt.date, tuple[str, ...]]] = []
    for day in sorted(set().union(*coverage.values())):
        tables = tuple(sorted(t for t, days in coverage.items() if day in days))
        if segments and segments[-1][2] == tables and segments[-1][1] == day - dt.timedelta(days=1):
            segments[-1] = (segments[-1][0], day, tables)
        else:
            segments.append((day, day, tables))
    return segments


def _rows(n: int) -> str:
    return "1 row" if n == 1 else f"{n:,} rows"


def _date_runs(dates: list[dt.date]) -> str:
    """``2023-10-24 .. 2023-10-26, 2023-10-28``: consecutive dates shown as ranges."""
    runs: list[list[dt.date]] = []
    for day in sorted(dates):
        if runs and runs[-1][1] == day - dt.timedelta(days=1):
            runs[-1][1] = day
        else:
            runs.append([day, day])
    return ", ".join(str(a) if a == b else f"{a} .. {b}" for a, b in runs)
