"""Value formats of stats.nba.com CSV exports (nba_api ``get_data_frames()[0].to_csv``).

One small parser per format. A parser returns the value or raises ``BadValue`` with a
reason a user can read next to ``file:line``; the loader (``nba_api.py``) decides what
a bad value means for the row.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from nba_backfill.errors import UserError


class BadValue(ValueError):
    """A value that cannot be used; the message is the reason shown to the user."""


class NotLoaded(BadValue):
    """A sound row this loader leaves out on purpose (a preseason or All-Star game): it is
    reported, but it is not an error and holds nothing back."""


# The 30 franchises' stats.nba.com team ids (nba_api.stats.static.teams). Used when a
# row has a TEAM_ID but no tricode (shot charts, scoreboards).
TEAM_TRICODES: dict[int, str] = {
    1610612737: "ATL", 1610612738: "BOS", 1610612739: "CLE", 1610612740: "NOP",
    1610612741: "CHI", 1610612742: "DAL", 1610612743: "DEN", 1610612744: "GSW",
    1610612745: "HOU", 1610612746: "LAC", 1610612747: "LAL", 1610612748: "MIA",
    1610612749: "MIL", 1610612750: "MIN", 1610612751: "BKN", 1610612752: "NYK",
    1610612753: "ORL", 1610612754: "IND", 1610612755: "PHI", 1610612756: "PHX",
    1610612757: "POR", 1610612758: "SAC", 1610612759: "SAS", 1610612760: "OKC",
    1610612761: "TOR", 1610612762: "UTA", 1610612763: "MEM", 1610612764: "WAS",
    1610612765: "DET", 1610612766: "CHA",
}  # fmt: skip

# Game kinds, from the type digit of the NBA game id (0022300061: "2") or a season-type
# column. Only the first four are loaded.
REGULAR, PLAYOFFS, PLAY_IN, CUP_FINAL, PRESEASON, ALL_STAR = (
    "regular season", "playoffs", "play-in", "NBA Cup final", "preseason", "All-Star",
)  # fmt: skip
LOADED_KINDS = (REGULAR, PLAYOFFS, PLAY_IN, CUP_FINAL)
_KIND_BY_ID_DIGIT = {
    "1": PRESEASON, "2": REGULAR, "3": ALL_STAR, "4": PLAYOFFS, "5": PLAY_IN, "6": CUP_FINAL,
}  # fmt: skip
# Season-type labels (SEASON_TYPE columns, nba_api SeasonType values) → kind. "IST" /
# "NBA Cup" games are regular-season games except the final, whose game id says so.
_KIND_BY_LABEL = {
    "regularseason": REGULAR, "regular": REGULAR, "ist": REGULAR, "nbacup": REGULAR,
    "emiratesnbacup": REGULAR, "inseasontournament": REGULAR,
    "playoffs": PLAYOFFS, "playoff": PLAYOFFS, "postseason": PLAYOFFS,
    "playin": PLAY_IN, "playintournament": PLAY_IN,
    "preseason": PRESEASON, "allstar": ALL_STAR,
}  # fmt: skip


# -- files ------------------------------------------------------------------------------


def column_key(name: str) -> str:
    """Header name → lookup key: ``GAME_ID``, ``gameId``, ``Game Id`` all give ``gameid``."""
    return re.sub(r"[^a-z0-9]", "", name.lower())


@dataclass(frozen=True)
class CsvFile:
    """A CSV export: its header (key → name as written) and where it is."""

    path: Path
    columns: dict[str, str]

    @property
    def label(self) -> str:
        return str(self.path)

    def has(self, *keys: str) -> bool:
        return any(k in self.columns for k in keys)

    def rows(self) -> Iterator[tuple[int, dict[str, str]]]:
        """(line number, {column key: stripped text}) per data row; line 1 is the header."""
        with self.path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.reader(handle)
            header = [column_key(h) for h in next(reader, [])]
            for record in reader:
                if not any(field.strip() for field in record):
                    continue
                yield reader.line_num, {k: v.strip() for k, v in zip(header, record) if k}


def open_csv(path: Path, what: str) -> CsvFile:
    """Read the header of ``path``; a file that cannot be read at all is a UserError."""
    path = Path(path)
    if not path.is_file():
        raise UserError(f"{what} file {path} does not exist")
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise UserError(f"cannot read {what} file {path}: {error}") from None
    if not header or not any(h.strip() for h in header):
        raise UserError(f"{what} file {path} is empty (no header row)")
    return CsvFile(path, {column_key(h): h.strip() for h in header if column_key(h)})


# -- values -----------------------------------------------------------------------------

_MONTHS = {m: i for i, m in enumerate(
    ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)}  # fmt: skip
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]*Z?)?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
_US = re.compile(r"(\d{1,2})[/-](\d{1,2})[/-](\d{4})(?: [0-9:.]+(?: ?[AP]M)?)?", re.I)
_WORDS = re.compile(r"([A-Za-z]{3})[A-Za-z]*\.? +(\d{1,2}), *(\d{4})")


def parse_date(text: str) -> dt.date:
    """``2023-10-24``, ``2023-10-24T00:00:00``, ``20231024`` (shot charts),
    ``10/24/2023`` / ``10-24-2023`` (optionally with a time), ``OCT 24, 2023``."""
    text = text.strip()
    try:
        if m := _ISO.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _COMPACT.fullmatch(text):
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        if m := _US.fullmatch(text):
            return dt.date(int(m[3]), int(m[1]), int(m[2]))
        if (m := _WORDS.fullmatch(text)) and m[1].lower() in _MONTHS:
            return dt.date(int(m[3]), _MONTHS[m[1].lower()], int(m[2]))
    except ValueError:
        pass
    raise BadValue(f"GAME_DATE {text!r} is not a date" if text else "no GAME_DATE")


def parse_game_id(text: str) -> str:
    """The NBA.com 10-digit game id with its leading zeros restored (22300061 → 0022300061)."""
    digits = text.strip()
    if digits.endswith(".0"):  # a spreadsheet or pandas float round trip
        digits = digits[:-2]
    if not digits:
        raise BadValue("no GAME_ID")
    if not digits.isdigit() or len(digits) > 10:
        raise BadValue(f"GAME_ID {text!r} is not an NBA game id (10 digits, e.g. 0022300061)")
    return digits.zfill(10)


def kind_from_game_id(nba_game_id: str) -> str | None:
    """The game kind the id encodes: 00<type><season yy><number>, e.g. 0042300401 playoffs."""
    if nba_game_id.startswith("00") and int(nba_game_id[5:]) > 0:
        return _KIND_BY_ID_DIGIT.get(nba_game_id[2])
    return None


def kind_from_label(text: str) -> str | None:
    """A season-type label (``Regular Season``, ``Playoffs``, ``PlayIn``, ``IST``,
    ``NBA Cup``) or a SEASON_ID (``22023``) → kind; None when unknown."""
    key = column_key(text)
    if key.isdigit() and len(key) == 5:
        return _KIND_BY_ID_DIGIT.get(key[0])
    return _KIND_BY_LABEL.get(key)


_CLOCK = re.compile(r"(\d+):(\d{1,2})(?:\.\d+)?")
_ISO_DURATION = re.compile(r"PT(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?")


def parse_minutes(text: str) -> int:
    """Minutes played → whole seconds: ``34:31``, ``PT34M31.00S``, or decimal minutes
    (``34.516667``, ``35``), rounded to the second."""
    text = text.strip()
    if m := _CLOCK.fullmatch(text):
        if int(m[2]) < 60:
            return int(m[1]) * 60 + int(m[2])
    elif (m := _ISO_DURATION.fullmatch(text)) and text != "PT":
        return int(m[1] or 0) * 60 + round(float(m[2] or 0))
    else:
        try:
            minutes = float(text)
        except ValueError:
            minutes = -1.0
        if minutes >= 0:
            return round(minutes * 60)
    raise BadValue(f"MIN {text!r} is not minutes" if text else "no MIN")


def format_minutes(seconds: int) -> str:
    """Seconds → ``MM:SS`` (``"34:31"``, team totals ``"240:00"``)."""
    return f"{seconds // 60:02d}:{seconds % 60:02d}"


REGULATION_SECONDS = 240 * 60  # five players x 48 minutes
OVERTIME_SECONDS = 25 * 60  # five players x 5 minutes


def team_minutes(seconds: int) -> str:
    """A team's minutes as a box score states them: 240:00 + 25:00 per overtime.

    Team minutes are 5 x game length by definition; player minutes rounded to the second
    (or to whole minutes in LeagueGameLog) drift from that when summed, so the sum is
    rounded to the nearest 240 + 25k minutes.
    """
    overtimes = max(0, round((seconds - REGULATION_SECONDS) / OVERTIME_SECONDS))
    return format_minutes(REGULATION_SECONDS + overtimes * OVERTIME_SECONDS)


def team_log_seconds(text: str) -> int:
    """A team game log's MIN in seconds of team minutes: LeagueGameLog states 240 (or
    265...), TeamGameLogs the game's length (48, 53): values under 100 are multiplied by 5."""
    seconds = parse_minutes(text)
    return seconds * 5 if seconds < 100 * 60 else seconds


def parse_int(text: str, column: str) -> int:
    """A count (``12``, ``12.0``); empty or fractional is a bad value."""
    try:
        value = float(text)
    except ValueError:
        raise BadValue(f"{column} {text!r} is not a number" if text else f"no {column}") from None
    if not value.is_integer():
        raise BadValue(f"{column} {text!r} is not a whole number")
    return int(value)


def parse_optional_int(text: str, column: str) -> int | None:
    return None if text == "" else parse_int(text, column)


def parse_optional_float(text: str, column: str) -> float | None:
    if text == "":
        return None
    try:
        return float(text)
    except ValueError:
        raise BadValue(f"{column} {text!r} is not a number") from None


_TRUE = {"1", "1.0", "true", "t", "yes", "y", "made", "madeshot"}
_FALSE = {"0", "0.0", "false", "f", "no", "n", "missed", "missedshot"}


def parse_bool(text: str, column: str) -> bool:
    """0/1, TRUE/FALSE (any case), yes/no, and ShotChartDetail's Made Shot / Missed Shot."""
    key = column_key(text) if not text.replace(".", "").isdigit() else text
    if key in _TRUE:
        return True
    if key in _FALSE:
        return False
    raise BadValue(f"{column} {text!r} is not 0/1 or TRUE/FALSE" if text else f"no {column}")


def parse_shot_type(text: str) -> str | None:
    """``2PT Field Goal`` / ``3PT Field Goal`` (or ``2PT``, ``3``) → ``2PT`` / ``3PT``;
    empty → None (Phase 3 then uses the distance)."""
    key = column_key(text)
    if key == "":
        return None
    if key.startswith("2"):
        return "2PT"
    if key.startswith("3"):
        return "3PT"
    raise BadValue(f"SHOT_TYPE {text!r} is neither a 2PT nor a 3PT field goal")


_MATCHUP = re.compile(r"([A-Z]{2,4})\s+(vs\.?|v\.?|@|at)\s+([A-Z]{2,4})", re.I)


def parse_matchup(text: str) -> tuple[str, str, bool]:
    """``LAL vs. DEN`` → (LAL, DEN, home); ``DEN @ LAL`` → (DEN, LAL, away)."""
    m = _MATCHUP.fullmatch(text.strip())
    if not m:
        raise BadValue(
            f"MATCHUP {text!r} is not 'TEAM vs. OPP' or 'TEAM @ OPP'" if text else "no MATCHUP"
        )
    return m[1].upper(), m[3].upper(), not m[2].startswith(("@", "a", "A"))


def team_from_id(text: str) -> str | None:
    """A stats.nba.com TEAM_ID → tricode, None when empty or unknown."""
    try:
        return TEAM_TRICODES.get(int(float(text)))
    except ValueError:
        return None


# Letters NFKD does not split into a base letter + accent.
_UNSPLIT = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d",
                          "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "ß": "ss", "ı": "i"})  # fmt: skip


def player_lookup(name: str) -> str:
    """SPEC §0's join key: lowercase, only a–z kept. Accents are removed first (Unicode
    NFKD, then the combining marks dropped), so "Nikola Jokić" → ``nikolajokic`` and
    matches sources that spell it "Nikola Jokic"."""
    decomposed = unicodedata.normalize("NFKD", name.translate(_UNSPLIT))
    return re.sub(r"[^a-z]", "", decomposed.lower())
