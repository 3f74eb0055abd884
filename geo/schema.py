"""The record schemas, declared once: columns, which are required, vocabularies.

Every stage that reads or writes records (loading, validation, the imports,
the extractor, the build and its exports, the service) reads the columns and
vocabularies from here, so a new column or a new status is added in one place.

Incidents use ACLED's column names where they fit. A record cites where it
comes from in one of two ways (:data:`PROVENANCE_RULE`):

- an **article**: ``source_file`` names a text file (``*.txt``) and
  ``source_start``/``source_end`` give the character span of the passage;
- a **dataset**: ``dataset`` names it (``ACLED``, ``UCDP GED``, a user's table)
  and ``event_id`` is the dataset's own id for the event (``url`` where the
  dataset gives one); no character offsets.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    """One column of a record CSV.

    Attributes
    ----------
    name : str
    required : bool
        Every record must fill it. Provenance columns are checked by
        :data:`PROVENANCE_RULE` instead.
    kind : str
        ``text``, ``date`` (YYYY-MM-DD), ``integer`` (whole number, 0 or
        more), ``number`` (decimal), ``code`` (an OCHA pcode) or ``enum``
        (one of a vocabulary below).
    description : str
    """

    name: str
    required: bool
    kind: str
    description: str


# Vocabularies -------------------------------------------------------------

# Control statuses a claim may state, and the status of a district no claim covers.
STATUSES = ("taliban", "contested", "government")
STATUS_UNKNOWN = "unknown"
MAP_STATUSES = (*STATUSES, STATUS_UNKNOWN)

# How precisely a record is placed (geo_precision), finest first.
LEVEL_PLACE = "place"
LEVEL_DISTRICT = "district"
LEVEL_PROVINCE = "province"
LEVELS = (LEVEL_PLACE, LEVEL_DISTRICT, LEVEL_PROVINCE)

# ACLED's time precision codes.
TIME_PRECISIONS = {"1": "day", "2": "week", "3": "month"}

# How an incident's district was found (placed_by).
PLACED_BY = {
    "record": "written into the record by hand",
    "coordinates": "the record's own point, in its district (geo.locate_points)",
    "geocoder": "the place names, through the geocoder",
    "notes": "a district named in the record's notes",
}

# ACLED's event types and their sub-event types.
EVENT_TYPES = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

# Dates a record may carry: the Soviet war's start to a far horizon; anything
# outside is a typing error, not history.
EARLIEST_YEAR = 1979
LATEST_YEAR = 2100
# Largest fatality count a record may state (guards against absurd numbers
# that overflow integer columns).
MAX_FATALITIES = 100_000
# Largest character offset a record may cite (an article is far shorter).
MAX_OFFSET = 1_000_000_000

PROVENANCE_RULE = (
    "cite an article (source_file ending .txt, with source_start and source_end) "
    "or a dataset (dataset and its event id)"
)

# Incidents ------------------------------------------------------------------

INCIDENT_SCHEMA = (
    Column("event_id", True, "text", "the record's id; a dataset's own event id for imported records"),
    Column("event_date", True, "date", "day of the event (the best estimate; see time_precision)"),
    Column("time_precision", True, "enum", "1 day, 2 week, 3 month (ACLED's codes)"),
    Column("event_type", True, "enum", "ACLED event type"),
    Column("sub_event_type", False, "enum", "ACLED sub-event type of that event type"),
    Column("actor1", True, "text", "the actor who acted"),
    Column("actor2", False, "text", "the other actor"),
    Column("location", False, "text", "the place as the source names it"),
    Column("admin1", True, "text", "province, in any spelling the geocoder knows"),
    Column("admin2", False, "text", "district, in any spelling the geocoder knows"),
    Column("pcode", True, "code", "OCHA district code, or province code at province level"),
    Column("geo_precision", True, "enum", "place, district or province"),
    Column("latitude", False, "number", "the place's own point (WGS84), with longitude"),
    Column("longitude", False, "number", "the place's own point (WGS84), with latitude"),
    Column("fatalities", True, "integer", "deaths, by ACLED's conservative rule"),
    Column("fatalities_qualifier", False, "text", "the source's own words for an uncertain count"),
    Column("notes", False, "text", "what happened, in our own words"),
    Column("source", False, "text", "the outlet or dataset that reported it"),
    Column("source_file", False, "text", "the article file cited"),
    Column("article", False, "text", "the cited article's title"),
    Column("source_start", False, "integer", "first character of the cited passage"),
    Column("source_end", False, "integer", "end of the cited passage (exclusive)"),
    Column("url", False, "text", "link to the article or the dataset's event"),
    Column("dataset", False, "text", "the dataset the record was imported from (ACLED, UCDP GED, ...)"),
    Column("assoc_actor_1", False, "text", "actors associated with actor1 (ACLED)"),
    Column("assoc_actor_2", False, "text", "actors associated with actor2 (ACLED)"),
    Column("fatalities_low", False, "integer", "lowest count reported (UCDP low)"),
    Column("fatalities_high", False, "integer", "highest count reported (UCDP high)"),
    Column("source_geo_precision", False, "text", "the dataset's own location precision code"),
    Column("placed_by", False, "enum", "how the district was found: record, coordinates, geocoder or notes"),
    Column("location_check", False, "text", "where the names disagree with the point, what they say"),
    Column("timestamp", False, "integer", "the dataset's last-modified time of the event (Unix seconds)"),
)

# Claims ---------------------------------------------------------------------

CLAIM_SCHEMA = (
    Column("claim_id", True, "text", "the claim's id"),
    Column("date", True, "date", "the day the claim was made or reported"),
    Column("pcode", True, "code", "OCHA district code"),
    Column("district", True, "text", "district, in any spelling the geocoder knows"),
    Column("province", True, "text", "province, in any spelling the geocoder knows"),
    Column("status", True, "enum", "taliban, contested or government"),
    Column("claimant", True, "text", "who makes the claim"),
    Column("source", True, "text", "the outlet or table that reports it"),
    Column("source_file", True, "text", "the article or table cited"),
    Column("article", False, "text", "the cited article's title"),
    Column("source_start", False, "integer", "first character of the cited passage"),
    Column("source_end", False, "integer", "end of the cited passage (exclusive)"),
    Column("notes", False, "text", "what the source says, in our own words"),
    Column("url", False, "text", "link to the source"),
)

INCIDENT_COLUMNS = [column.name for column in INCIDENT_SCHEMA]
CLAIM_COLUMNS = [column.name for column in CLAIM_SCHEMA]
# The columns every record file must have in its header; later columns of the
# schema may be left out of a file (older files, hand-written tables).
INCIDENT_HEADER = INCIDENT_COLUMNS[: INCIDENT_COLUMNS.index("source_end") + 1]
CLAIM_HEADER = CLAIM_COLUMNS[: CLAIM_COLUMNS.index("notes") + 1]
INCIDENT_OPTIONAL = frozenset(column.name for column in INCIDENT_SCHEMA if not column.required)
CLAIM_OPTIONAL = frozenset(column.name for column in CLAIM_SCHEMA if not column.required)


def columns_of_kind(schema, kind):
    """Return the names of the columns of `schema` whose kind is `kind`."""
    return [column.name for column in schema if column.kind == kind]
