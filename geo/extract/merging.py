"""Step 7b of the extractor: one incident per event.

Reports of one event (the same district, or a province and a district inside
it; days at most one apart; the same kind, an "attack" joining a bombing) are
merged into one incident: the most precise place and day, the specific kind,
and the lower death count (ACLED's conservative rule). "Two separate
airstrikes" are two events, and an event told as another ("In a separate
incident") joins none told before it.
"""

from .. import settings

# Sub-types an "attack" sentence about the same event may be merged into.
SPECIFIC = (
    "Suicide bomb",
    "Remote explosive/landmine/IED",
    "Attack",
    "Abduction/forced disappearance",
    "Non-state actor overtakes territory",
)


# The sub-types of a district changing hands.
TERRITORY = ("Non-state actor overtakes territory", "Government regains territory")


def same_area(first, second):
    """The same district, or a province and a district inside it (a lead names the province, the
    next sentence the district)."""
    return first == second or (min(len(first), len(second)) == 4 and first[:4] == second[:4])


_PLACE_FIELDS = ("location", "admin1", "admin2", "pcode", "geo_precision")


def merge_reports(found):
    """One incident per event: same place, day ±1, and the same kind (an 'attack' joins a bombing;
    a death reported with no kind of fighting joins any event there). "Two separate airstrikes"
    are two events."""
    merged, placed = [], {}
    for incident in found:
        # A separate event joins no event told in an earlier sentence.
        earlier = [
            kept for kept in merged if not incident.get("separate") or kept["source_start"] >= incident["source_start"]
        ]
        twin = next((kept for kept in earlier if _same_event(kept, incident)), None)
        if twin is None:
            if not incident.get("only_merge"):
                merged.append(dict(incident))
            elif incident["source_start"] in placed:
                merged.append(_listed_too(placed[incident["source_start"]], incident))
            else:
                _placed_anew(merged, incident)
            continue
        if incident.get("only_merge") and len(twin["pcode"]) == 4:
            placed[incident["source_start"]] = dict(twin)
        twin["copies"] = max(twin.get("copies", 1), incident.get("copies", 1))
        if _better_date(incident, twin):
            twin.update(event_date=incident["event_date"], time_precision=incident["time_precision"], reported=False)
        specific = incident["sub_event_type"] in (*SPECIFIC, *TERRITORY) or (twin["weak"] and not incident["weak"])
        if twin["sub_event_type"] == "Armed clash" and specific:
            twin["weak"] = incident["weak"]
            for key in ("event_type", "sub_event_type", "actor1", "actor2"):
                twin[key] = incident[key]
        near = abs(incident["source_start"] - twin["source_end"]) <= settings.extract_merge_span_chars
        if near and len(twin["pcode"]) == 4 and len(incident["pcode"]) == 6:
            # The passage will hold both sentences, so the district's name too.
            twin.update({field: incident[field] for field in _PLACE_FIELDS})
        counts = [count for count in (twin["fatalities"], incident["fatalities"]) if count]
        if counts and min(counts) != twin["fatalities"]:
            twin["fatalities"], twin["fatalities_qualifier"] = incident["fatalities"], incident["fatalities_qualifier"]
        if near:
            twin["source_start"] = min(twin["source_start"], incident["source_start"])
            twin["source_end"] = max(twin["source_end"], incident["source_end"])
    return [copy for incident in merged for copy in _copies(incident)]


def _placed_anew(merged, incident):
    """ "The incident occurred in Safid Sang area, in Mohammad Agha district": a sentence that only
    places the event just told moves it there from another district of the same province (one read
    from a convoy's destination, "en route to Pul-e-Alam, the capital of Logar")."""
    last = merged[-1] if merged else None
    if (
        last is None
        or len(last["pcode"]) != 6
        or len(incident["pcode"]) != 6
        or last["pcode"][:4] != incident["pcode"][:4]
        or abs((last["event_date"] - incident["event_date"]).days) > 1
        or incident["source_start"] - last["source_end"] > settings.extract_merge_span_chars
    ):
        return
    last.update({field: incident[field] for field in _PLACE_FIELDS})
    last["source_end"] = max(last["source_end"], incident["source_end"])


def _listed_too(event, incident):
    """ "Operations in Ghazni province ... The operations were staged in X and Y districts": the
    event as told, in each listed district after the first (ACLED codes one event per district)."""
    span = {
        "source_start": min(event["source_start"], incident["source_start"]),
        "source_end": max(event["source_end"], incident["source_end"]),
    }
    place = {field: incident[field] for field in _PLACE_FIELDS}
    return {**event, **place, **span, "fatalities": 0, "fatalities_qualifier": ""}


def _better_date(incident, twin):
    """Whether a second report's day is the event's own where the first had only the day it was
    told ("officials said Sunday") or none."""
    if incident.get("reported", False):
        return False
    return twin.get("reported", False) or int(incident["time_precision"]) < int(twin["time_precision"])


def _copies(incident):
    """The incident, and as many more as the report counts separate events ("two separate
    airstrikes"); the dead stay with the first."""
    extra = [{**incident, "fatalities": 0, "fatalities_qualifier": ""} for _ in range(incident.get("copies", 1) - 1)]
    return [incident, *extra]


def _same_event(kept, incident):
    if not same_area(kept["pcode"], incident["pcode"]) or abs((kept["event_date"] - incident["event_date"]).days) > 1:
        return False
    if (
        kept.get("exact_day")
        and incident.get("exact_day")
        and kept["event_date"] != incident["event_date"]
        and kept["sub_event_type"] != incident["sub_event_type"]
    ):
        return False  # "stormed a compound Wednesday ... On Tuesday, a suicide attack in the city": two events
    kinds = {kept["sub_event_type"], incident["sub_event_type"]}
    weak = kept["weak"] or incident["weak"]
    # "a car bomb explosion in Ghazni province ... The blast occurred in Ab Band district": a lead
    # tells the province, the next sentence the district, each with its own word for the blast.
    blasts = kept["event_type"] == incident["event_type"] == "Explosions/Remote violence"
    other_blast = kept["pcode"] != incident["pcode"] or "Shelling/artillery/missile attack" not in kinds
    lead = blasts and "Air/drone strike" not in kinds and other_blast
    return len(kinds) == 1 or lead or ("Armed clash" in kinds and (weak or bool(kinds & {*SPECIFIC, *TERRITORY})))
