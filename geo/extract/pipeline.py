"""Step 7 of the extractor: one article's sentences to proposed incidents and claims.

Each sentence is read for an event kind (:mod:`.events`), a control claim
(:mod:`.claims`), its places (:mod:`.places`), its date (:mod:`.dates`) and
its dead (:mod:`.fatalities`). A sentence without a place borrows the places
of the sentence before it in the same paragraph, and one without date words
that sentence's date (else the day before publication, at week precision).
Reports of one event are then merged into one incident (:mod:`.merging`) and
the records written out as text tables (:mod:`._frames`).
"""

import datetime as dt
import functools
import re

import numpy as np
import pandas as pd

from .. import settings
from ..gazetteer import load_gazetteer
from . import claims as claim_rules
from . import events
from ._frames import claim_frame, incident_frame, rows_of
from .dates import is_reported, is_span, last_date, resolve_date
from .fatalities import count_deaths
from .merging import SPECIFIC, TERRITORY, merge_reports
from .places import find_places, place_fields
from .sentences import split_sentences


def read_article(text, published, *, source_file, spans=None, source="", url="", titles=None):
    """Propose incident and claim records for the articles of one text.

    Parameters
    ----------
    text : str
        The whole file (offsets are file offsets).
    published : datetime.date or list of datetime.date
        Publication date, or one per span.
    source_file : str
        The file name records cite.
    spans : list of (int, int), optional
        The articles' spans in the text (default: the whole text).
    source : str or list of str
        The outlet every record cites, or one per span.
    url : str
        The link every record cites.
    titles : list of str, optional
        The article titles (the ``article`` column), one per span.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        Incidents and claims with the columns of :mod:`geo.schema`, as strings.
    """
    spans = spans or [(0, len(text))]
    dates = published if isinstance(published, list) else [published] * len(spans)
    titles = titles or [""] * len(spans)
    sources = source if isinstance(source, list) else [source] * len(spans)
    sentences = _as_objects(
        pd.concat(
            [split_sentences(text, start, end).assign(article=number) for number, (start, end) in enumerate(spans)],
            ignore_index=True,
        )
    )
    body = _is_body(sentences)
    # The article's sentences and places are small tables read row by row below: as Python objects
    # rather than Arrow strings, each look-up costs a third as much.
    found = _as_objects(find_places(sentences))
    # A headline ("Roadside bomb kills 12 in Balkh") only tells the province the body is about:
    # it decides between same-named districts and places unknown spellings, and is no event.
    headline = found["sentence"].map(~body)
    found = found[~headline | (found["level"] == "province")]
    found = found.assign(role=_roles(found, sentences))
    found = found.assign(
        placed_district=(found["level"] == "district") & ~found["role"],
        capital=(found["level"] == "district") & _is_capital(found) & ~found["role"],
    )
    sentences = sentences[body]
    # A comprehension, not dict(): dict() takes a GroupBy for a mapping (its `keys` is a column name).
    places = {sentence: group for sentence, group in found.groupby("sentence")}  # noqa: C416
    places[None] = found.iloc[:0]
    places["state"] = _sentence_state(found)
    incidents, claims = [], []
    for number in range(len(spans)):
        article = sentences[sentences["article"] == number]
        context = {"source": sources[number], "url": url, "source_file": source_file, "article": titles[number]}
        found_incidents, found_claims = _read_sentences(article, places, dates[number], context, text)
        unplaced = [item for item in found_incidents if item["sub_event_type"] in TERRITORY and len(item["pcode"]) == 4]
        found_incidents = _refine_provinces(found_incidents, found[found["sentence"].isin(article.index)], article)
        found_claims += [
            _territory_claim(item, text)
            for item in unplaced
            if len(item["pcode"]) == 6 and not _a_district_not_capital(item, text)
        ]
        # Territory changes hands district by district: a seizure left at province level is dropped.
        found_incidents = [
            incident
            for incident in found_incidents
            if not (incident["sub_event_type"] in TERRITORY and len(incident["pcode"]) == 4)
        ]
        incidents += found_incidents
        claims += _one_claim_each(found_claims)
    # A compilation may report one event in several of its articles.
    incidents = [_names_its_place(incident, text) for incident in merge_reports(incidents)]
    return incident_frame(incidents, source_file), claim_frame(claims, source_file)


def _names_its_place(incident, text):
    """The incident with its passage reaching back to the sentence that last names its place, when
    the passage itself does not ("a suicide attack in the city" read as the capital of the province
    named paragraphs before): a reader, and geo validate, find the place in what is cited."""
    location = incident["location"].casefold()
    start, end = incident["source_start"], incident["source_end"]
    if not location or location in text[start:end].casefold():
        return incident
    named = text.casefold().rfind(location, 0, start)
    if named < 0:
        return incident
    sentence_start = max(text.rfind(". ", 0, named) + 2, text.rfind("\n", 0, named) + 1)
    return {**incident, "source_start": sentence_start}


def _a_district_not_capital(incident, text):
    """Whether a seizure told of "a district in Badakhshan province" was placed in the province's
    capital (named only as where the road starts, or where officials speak): "a district" is not
    the provincial capital, so it makes no claim there."""
    passage = text[incident["source_start"] : incident["source_end"]]
    return incident["pcode"] in _capitals() and bool(_A_DISTRICT.search(passage))


_A_DISTRICT = re.compile(r"\b(?:a|one|another)\s+(?:\w+\s+)?district\b", re.IGNORECASE)


def _as_objects(frame):
    """`frame` with its text columns as Python objects."""
    text = [column for column, dtype in frame.dtypes.items() if dtype == "str"]
    return frame.astype(dict.fromkeys(text, object)) if text else frame


def _territory_claim(incident, text):
    """The claim a seizure (or retaking) first told at province level makes, once a district of that
    province named elsewhere in the article places it ("captured a district in Ghazni province ...
    Ghazni's Khawaja Omari district")."""
    passage = text[incident["source_start"] : incident["source_end"]]
    status = "taliban" if incident["sub_event_type"] == "Non-state actor overtakes territory" else "government"
    claimant = claim_rules.claimant(passage, incident["source"])
    return {
        **{key: incident[key] for key in ("source", "url", "source_file", "article", "source_start", "source_end")},
        "date": incident["event_date"],
        "pcode": incident["pcode"],
        "district": incident["admin2"],
        "province": incident["admin1"],
        "status": status,
        "claimant": claimant,
        "notes": f"Proposed by geo extract: {claimant} say {incident['admin2']} is {_STATUS_WORDS[status]}.",
    }


def _one_claim_each(claims):
    """One claim per district, status and day in an article: a council member and an official
    confirming the same fall make one claim, credited to the first who is not the outlet. A
    change of hands told a day apart ("fell late on July 22", "on July 23 ... seized") is one, and
    so is a district told contested a day apart ("forces recaptured parts of it on Saturday" and
    "have recaptured parts of it", said on Sunday). The Taliban's own claim stays apart from the officials'. A
    denial of a fall by a side that also says fighting goes on there is that side's contested
    claim."""
    kept = []
    for claim in claims:
        twin = next((other for other in kept if _same_claim(other, claim)), None)
        if twin is None or (twin.get("assessed") and twin["claimant"] != claim["claimant"]):
            # (the outlet's own assessment, "assessed by the Long War Journal as contested", stays its own)
            kept.append(dict(claim))
        elif twin["claimant"] == claim["source"] and claim["claimant"] != claim["source"]:
            twin.update(claimant=claim["claimant"], notes=claim["notes"])
    fighting = {(claim["pcode"], claim["date"], claim["claimant"]) for claim in kept if claim["status"] == "contested"}
    # "Yamgan was recaptured ... Wardooj has been under Taliban control for past five years": a hold
    # told by its years is background to the article's news of another status there.
    statuses = {(claim["pcode"], claim["status"]) for claim in kept if not claim.get("years_long")}
    kept = [
        claim
        for claim in kept
        if not (
            claim.get("years_long")
            and any(pcode == claim["pcode"] and status != claim["status"] for pcode, status in statuses)
        )
    ]
    return [
        claim
        for claim in kept
        if not (
            claim.get("denied")
            and claim["status"] == "government"
            and (claim["pcode"], claim["date"], claim["claimant"]) in fighting
        )
    ]


def _same_claim(other, claim):
    return (
        other["pcode"] == claim["pcode"]
        and other["status"] == claim["status"]
        and abs((other["date"] - claim["date"]).days) <= 1
        and (other["claimant"] == "Taliban") == (claim["claimant"] == "Taliban")
    )


def _refine_provinces(incidents, mentions, article):
    """An event placed only by its province ("airstrikes ... in Kunduz province") is in the district
    of that province the article names elsewhere ("The village is in Khanabad district"), when it
    names exactly one, in a sentence that reports no event of its own or in the event's own
    passage ("the chief of the Aliabad district, where the assault occurred"); the cited passage
    then reaches the sentence naming it."""
    quiet = {label: events.trigger(article.at[label, "text"]) is None for label in set(mentions["sentence"])}
    # Districts named as places count first; one named only for a post or a landmark is used when
    # its province has no other ("west of Firuzkoh City").
    named = mentions[mentions["level"] == "district"]
    placed = named[~named["role"]]
    districts = pd.concat([placed, named[~named["province_pcode"].isin(placed["province_pcode"])]])
    districts = districts.drop_duplicates("pcode")
    only = districts.groupby("province_pcode").filter(lambda group: len(group) == 1).set_index("province_pcode")
    for incident in incidents:
        if len(incident["pcode"]) == 4 and incident["pcode"] in only.index:
            place = only.loc[incident["pcode"]]
            told = article.at[place["sentence"], "start"]
            if not (quiet.get(place["sentence"], False) or incident["source_start"] <= told < incident["source_end"]):
                continue
            sentence = article.loc[place["sentence"]]
            incident.update(
                location=place["name"],
                admin2=place["district"],
                pcode=place["pcode"],
                geo_precision="district",
                source_start=min(incident["source_start"], int(sentence["start"])),
                source_end=max(incident["source_end"], int(sentence["end"])),
            )
    return incidents


def _is_body(sentences):
    """Headlines, bylines and date lines are not read: records cite the body."""
    words = sentences["text"].str.count(r"\s+") + 1
    ends = sentences["text"].str.contains(r"[.!?][\"”’']?$", regex=True)
    # A long line after the headline that lost its full stop ("... has risen to two, the Health
    # Department told Sputnik") is still the body.
    first = ~sentences["article"].duplicated() if "article" in sentences else sentences.index == sentences.index[0]
    return (ends & (words >= 5)) | ((words >= 15) & ~first)


_THE_DISTRICT = re.compile(r"\b(?:the|that|this|same) (?:district|area|village|locality)\b", re.IGNORECASE)
_THE_CITY = re.compile(
    # "on the outskirts of the province's capital city"
    r"\b(?:in|on|of) (?:the|that|this) (?:city|provincial capital)\b|\b(?:in|on|of) the province[’']s capital\b",
    re.IGNORECASE,
)


def _is_capital(found):
    """Which district mentions are provincial capitals."""
    return found["pcode"].isin(_capitals())


@functools.cache
def _capitals():
    return frozenset(load_gazetteer().provinces["capital_pcode"])


def _sentence_state(found):
    """Per sentence, what reading it carries on to the next ones (the last district named as a
    place, the last capital, the last province), whether every mention names a post, and whether
    a district is named: computed once per article, not sentence by sentence."""
    provinces = found[found["level"] == "province"].groupby("sentence").tail(1)
    return {
        "district": _lastrows_of(found[found["placed_district"]]),
        "capital": _lastrows_of(found[found["capital"]]),
        "province": dict(zip(provinces["sentence"], provinces.to_dict("records"))),
        "all_role": found.groupby("sentence")["role"].all().to_dict(),
        "names_district": (found["level"] == "district").groupby(found["sentence"]).any().to_dict(),
        "rows": found,
    }


def _lastrows_of(rows):
    """Each sentence's last row of `rows`, by its index."""
    tail = rows.groupby("sentence").tail(1)
    return dict(zip(tail["sentence"], tail.index))


def _read_sentences(article, places, published, context, source_text):
    incidents, claims = [], []
    previous_date, paragraph_date, last_paragraph, pending, city, district = None, None, None, None, None, None
    province, state, operation, named_districts = None, places["state"], None, None
    article_start = int(article["start"].min()) if len(article) else 0
    for label, row in zip(article.index, article.to_dict("records")):
        sentence, district_before = row, district  # claims read the sentence itself, not a merged passage
        before = source_text[max(article_start, row["start"] - settings.extract_merge_span_chars) : row["start"]]
        if row["paragraph"] != last_paragraph:
            # (an event sentence naming no place may still find it in the next paragraph: wire
            # reports make each sentence a paragraph)
            paragraph_date, last_paragraph = None, row["paragraph"]
            paragraph_start = len(incidents)
        here = places.get(label, places[None])
        in_city = here.empty and bool(_THE_CITY.search(row["text"])) and (city is not None or province is not None)
        if pending is not None and (not here.empty or in_city) and _goes_on(row["text"], pending, row):
            # "We launched attacks on the Taliban," he said. "They were west of Firuzkoh City.":
            # the event of one sentence, the place of the next.
            row = {**row, "start": pending["start"], "text": source_text[pending["start"] : row["end"]]}
        placeless = here.empty or state["all_role"].get(label, True)
        pending = row if placeless and events.trigger(row["text"]) is not None else None
        if placeless and pending is not None and _after_operation(operation, row):
            # "Police conducted an operation in Nejrab district on Saturday night. The forces killed a
            # shadow governor": the killing is the operation's, at its place and on its day.
            here, pending = operation["here"], None
            row = {**row, "start": operation["start"], "text": source_text[operation["start"] : row["end"]]}
        operation = _operation(row, here, placeless) or operation
        dated = resolve_date(row["text"], published, previous_date)
        if dated is not None:
            dated = (*dated, is_reported(row["text"]))
            latest = last_date(row["text"], published, previous_date)
            previous_date, paragraph_date = dated[0], (*latest, False) if latest else dated
        span = (row["start"], row["end"])
        if district is not None and _THE_DISTRICT.search(row["text"]) and not state["names_district"].get(label):
            # "... seized control of the district": the district named last (wire reports make each
            # sentence a paragraph); the passage reaches back to it when it is near.
            here = pd.concat([state["rows"].loc[[district["index"]]], here])
            if row["start"] - district["start"] <= settings.extract_merge_span_chars:
                span = (district["start"], row["end"])
        if here.empty and _THE_CITY.search(row["text"]) and (city is not None or province):
            # "On Tuesday, a suicide attack in the city killed 12": the city the article last named,
            # else the capital of the province it named last ("the convoy of Wardak governor").
            here = state["rows"].loc[[city]] if city is not None else _capital_of(province, row)
            if city is None and row["start"] - province["start"] <= settings.extract_merge_span_chars:
                span = (province["start"], row["end"])  # the passage names the province
        if label in state["province"]:
            province = {**state["province"][label], "start": row["start"]}
        if label in state["district"]:
            district = {"index": state["district"][label], "start": row["start"]}
            named_districts = (label, row["start"])
        city = state["capital"].get(label, city)
        if here.empty or not (here["level"] == "district").any():
            # A claim told without naming its district ("these two districts", "the attack was repelled").
            attacked = _attacked(incidents, source_text)
            claims += _claims_on_named(
                sentence, state, named_districts, dated, context, published, before, claims, attacked
            )
        if here.empty:
            claims += _rebuttal(claims, row, dated, context) + _confirmation(claims, row, context, before)
            _refine_kind(incidents, row)
            if dated is None:  # a sentence with its own date reports another event
                _add_deaths(incidents, row, paragraph_start)
            continue
        paragraph_start = len(incidents)
        # "Nearly 90 Taliban were killed in the attack on Farah City": an undated paragraph about a
        # place an earlier paragraph dated goes on about that day's event.
        dated = dated or paragraph_date or _date_of_place(incidents, here)
        when = dated or (published - dt.timedelta(days=settings.extract_undated_lag_days), 2, True)
        if claim_rules.tells_control(sentence["text"]):
            claimed = _claimed_places(
                sentence["text"],
                _the_district_claimed(
                    _claim_places(here, label, state, district_before, sentence["text"]),
                    label,
                    state,
                    claims,
                    district_before,
                    sentence["text"],
                ),
                sentence["start"],
            )
            claims += _claims(
                sentence["text"],
                claimed,
                _claim_date(dated, published),
                span,
                context,
                published,
                sentence["start"],
                before,
            )
        told = [incident for incident in incidents if not (incident["weak"] or incident["only_merge"])]
        last_kind = (told[-1]["event_type"], told[-1]["sub_event_type"]) if told else None
        incidents += _incidents(row, here, when, span, context, published, last_kind)
    return incidents, claims


def _claim_date(dated, published):
    """A claim's day: its sentence's, or the report's when the sentence gives none, or only a month ("at
    the beginning of July, the Taliban overran Qushtepa": who holds it is told as of the report)."""
    return dated if dated is not None and int(dated[1]) < 3 else (published, 1)


_REBUTS = re.compile(
    r"\b(?:rejected|denied|dismissed|refuted)\s+(?:the|this|that|these|those|such)\s+(?:\w+\s+)?(?:claims?|reports?)\b",
    re.IGNORECASE,
)


def _rebuttal(claims, row, dated, context):
    """ "The interior ministry rejected the claim, saying the attackers had been beaten back": the
    answer to the seizure just claimed is a claim of its own on that district (the passage reaches
    back to the one naming it)."""
    if not claims or not _REBUTS.search(row["text"]):
        return []
    last = claims[-1]
    if last["status"] != "taliban" or row["start"] - last["source_end"] > settings.extract_merge_span_chars:
        return []
    claimant = claim_rules.claimant(row["text"], context["source"])
    return [
        {
            **last,
            "date": dated[0] if dated and dated[1] == 1 else last["date"],
            "status": "government",
            "claimant": claimant,
            "source_end": row["end"],
            "notes": f"Proposed by geo extract: {claimant} say {last['district']} is {_STATUS_WORDS['government']}.",
        }
    ]


def _confirmation(claims, row, context, before=""):
    """ "His claim was also confirmed by local authorities": the Taliban's claim just told is also
    the confirming side's (a claim of its own, as the Taliban's and the officials' stay apart)."""
    if not claims or not claim_rules.CONFIRMS.search(row["text"]):
        return []
    last = claims[-1]
    claimant = claim_rules.claimant(row["text"], context["source"], before)
    if claimant == last["claimant"] or row["start"] - last["source_end"] > settings.extract_merge_span_chars:
        return []
    notes = f"Proposed by geo extract: {claimant} say {last['district']} is {_STATUS_WORDS[last['status']]}."
    return [{**last, "claimant": claimant, "denied": False, "source_end": row["end"], "notes": notes}]


# "the clashes were going on ... in these two districts", "the insurgents have now the whole district".
_THE_DISTRICTS = re.compile(
    r"\b(?:(?:these|those|the|both|all)\s+(?:two\s+|three\s+|four\s+)?districts|both\s+(?:of\s+)?(?:them|the districts)|"
    r"the\s+(?:whole|entire)\s+district)\b",
    re.IGNORECASE,
)


def _claims_on_named(row, state, named, dated, context, published, before="", claims=(), attacked=None):
    """A sentence naming no place whose claim is about the districts the article just named
    ("these two districts", "the whole district"): its claim on each of them; "the district" (or
    "the city") when no district was named as a place (only as the place forces withdrew from) is
    the one the article's last claim was about; "the attack was repelled" is about the district
    the last incident attacked (issue 11, item 7: the officials' government claim)."""
    if not claim_rules.tells_control(row["text"]):
        return []
    rows = state["rows"]
    if named is not None and _THE_DISTRICTS.search(row["text"]):
        here, start = rows[(rows["sentence"] == named[0]) & rows["placed_district"]], named[1]
    elif claims and _ONE_DISTRICT.search(row["text"]):
        here, start = rows[rows["pcode"] == claims[-1]["pcode"]].tail(1), claims[-1]["source_start"]
    elif attacked is not None and claim_rules.THE_ATTACK.search(row["text"]):
        here, start = rows[rows["pcode"] == attacked["pcode"]].tail(1), attacked["source_start"]
    else:
        return []
    if row["start"] - start > settings.extract_merge_span_chars:
        return []
    span = (start, row["end"])
    return _claims(row["text"], here, dated or (published, 1), span, context, published, row["start"], before)


_ONE_DISTRICT = re.compile(r"\b(?:the|that|this)\s+(?:district|city|town|provincial capital)\b", re.IGNORECASE)


def _attacked(incidents, source_text):
    """The article's last incident when its passage tells an attack on a district or a city
    ("attacked Pul-e-Khumri, the capital of Baghlan"), not on a post or people; else None."""
    if not incidents:
        return None
    # The last sentence's first incident: its main clause.
    last = next(incident for incident in incidents if incident["source_end"] == incidents[-1]["source_end"])
    if len(last["pcode"]) != 6:
        return None
    passage = source_text[last["source_start"] : last["source_end"]]
    return last if claim_rules.attacks_a_place(passage) else None


_OPERATION = re.compile(
    r"\b(?:conducted|launched|carried out)\s+(?:an?\s+|the\s+)?(?:\w+\s+){0,2}?(?:operations?|raids?)\b", re.IGNORECASE
)


def _operation(row, here, placeless):
    """An operation told with its place and no kind of event ("conducted an operation in X")."""
    if placeless or not _OPERATION.search(row["text"]) or events.trigger(row["text"]) is not None:
        return None
    return {"here": here[~here["role"]], "start": row["start"], "end": row["end"]}


def _after_operation(operation, row):
    return operation is not None and row["start"] - operation["end"] <= settings.extract_merge_span_chars


def _goes_on(text, pending, row):
    """Whether a sentence only goes on about the event just told: in the same paragraph, one with
    no kind of its own; in the next, one whose kind refers back ("The blast took place in the
    provincial capital")."""
    hit = events.trigger(text)
    if hit is None:
        # ("... killed in airstrikes, officials said. The strikes were carried out in Ghazni province")
        return pending["paragraph"] == row["paragraph"] or bool(events.ANAPHOR.match(text))
    # ("Mullah Nasir was killed in the raid in Shinkay district": the dead of the raid told before)
    return _refers_back(text, hit[0]) or (
        text[hit[0] :].lower().startswith("killed") and bool(events.ANAPHOR.search(text))
    )


def _capital_of(province, row):
    """The capital's district of a province, as a mention at the start of `row` named as the text
    named the province ("Wardak"), so the cited passage holds the name."""
    fields = place_fields(load_gazetteer().provinces.at[province["province_pcode"], "capital_pcode"])
    mention = {"sentence": None, "start": row["start"], "end": row["start"], "name": province["name"], "role": False}
    return pd.DataFrame([{**mention, **fields}])


def _date_of_place(incidents, here):
    """The date (and its precision) of the latest dated incident at one of these places, or None."""
    pcodes = set(here["pcode"])
    for incident in reversed(incidents):
        if incident["pcode"] in pcodes and incident["time_precision"] == "1":
            return incident["event_date"], 1
    return None


_THE_ATTACK = re.compile(r"\b(?:the|this|that)\s+(?:\w+\s+)?(?:attack|assault|incident)\b", re.IGNORECASE)


def _refine_kind(incidents, row):
    """ "The attack started with a car bomb": a sentence naming no place that tells how the event
    just reported was done gives that event its kind."""
    hit = events.trigger(row["text"])
    if not incidents or hit is None or hit[2] not in SPECIFIC[:2] or not _THE_ATTACK.search(row["text"]):
        return
    last = incidents[-1]
    if (
        last["sub_event_type"] == "Armed clash"
        and row["start"] - last["source_end"] <= settings.extract_merge_span_chars
    ):
        last.update(event_type=hit[1], sub_event_type=hit[2], source_end=row["end"])


def _add_deaths(incidents, row, first):
    """A sentence naming no place ("The insurgents killed 7 soldiers") tells the dead of the
    event its paragraph just reported, when that one has no count yet."""
    if len(incidents) <= first or incidents[-1]["fatalities"]:
        return
    deaths, qualifier = count_deaths(row["text"])
    if deaths and row["start"] - incidents[-1]["source_end"] <= settings.extract_merge_span_chars:
        incidents[-1].update(fatalities=deaths, fatalities_qualifier=qualifier, source_end=row["end"])


def _claim_places(here, label, state, district_before, text):
    """The places a sentence's claim may be about: not the district an "area" or a "village" read
    back to ("reinforcements were sent to the area and it is now under control of Afghan forces"):
    those are parts of it, not the district."""
    borrowed = (
        district_before is not None
        and not state["names_district"].get(label)
        and _THE_DISTRICT.search(text)
        and not _NAMED_DISTRICT.search(text)
    )
    return here.iloc[1:] if borrowed else here


_NAMED_DISTRICT = re.compile(r"\b(?:the|that|this|same) district\b", re.IGNORECASE)


def _the_district_claimed(here, label, state, claims, district_before=None, text=""):
    """ "the district" read back to a sentence naming several ("clear areas of Kohistan and Raghistan
    districts") is the one the article's last claim was about, when that is one of them; "seized
    the district as well as Chah Ab and Khwaja Ghar" also claims the district named before."""
    if district_before is not None and _THE_DISTRICT_AND.search(text):
        before = state["rows"].loc[[district_before["index"]]]
        if not here.empty and not before["pcode"].isin(here["pcode"]).any():
            return pd.concat([before, here])
    if not claims or here.empty or "sentence" not in here or (here["sentence"] == label).all():
        return here
    back = here[here["sentence"] != label]
    rows = state["rows"]
    named = rows[(rows["sentence"] == back["sentence"].iloc[0]) & rows["placed_district"]]
    last = named[named["pcode"] == claims[-1]["pcode"]]
    if named["pcode"].nunique() < 2 or last.empty:
        return here
    return pd.concat([last.tail(1), here[here["sentence"] == label]])


_THE_DISTRICT_AND = re.compile(
    r"\b(?:of|seized|captured|overran|overrun|retook|retaken|recaptured|cleared)\s+(?:control\s+of\s+)?the\s+district\s+"
    r"(?:as well as|and|along with)\b",
    re.IGNORECASE,
)


def _claimed_places(text, here, sentence_start):
    """The mentions a sentence's claim is about: not posts or landmarks ("30 kilometers east of
    Ghazni city"), and, when one clause claims control and another tells something else ("have
    recaptured Jaghatu district while the militants set on fire the headquarters of Darqad
    district"), only those named before the militants' part. A landmark district is kept with
    ``own_only`` set: only a relative clause of its own ("which borders Darqad district, which fell
    last week") claims it."""
    roles = here["role"].to_numpy(dtype=bool) if "role" in here else np.zeros(len(here), dtype=bool)
    # "Speaking to reporters in Taloqan city, the spokesman said ...": where the speaker is
    roles = roles | np.array(
        [
            start >= sentence_start and bool(_SPEAKING_IN.search(text, 0, start - sentence_start))
            for start in here["start"]
        ],
        dtype=bool,
    )
    # ("withdrew from the Qaysar district centre" reads as a post's "from": kept when it is the only district)
    places = here.assign(own_only=roles & ((here["level"].to_numpy() == "district") & ~roles).any())
    other = _WHILE.search(text)
    if other is None or not claim_rules.control_status(text[: other.start()]):
        return places
    return places[places["start"] - sentence_start < other.start()]


_SPEAKING_IN = re.compile(
    r"\b(?:speaking|talking|spoke|told\s+(?:\w+\s+){0,2}?(?:reporters|journalists|media)|press conference|news conference|"
    r"briefing)\b[^,.;:]{0,40}?\b(?:in|from|at)\s+(?:the\s+)?$",
    re.IGNORECASE,
)
# "..., while the militants set on fire the headquarters of Darqad district": another event.
_WHILE = re.compile(r",?\s+(?:while|whereas|as)\s+(?:the\s+)?(?:\w+\s+){0,2}?(?:militants|insurgents|Taliban|gunmen)\b")


def _claims(text, here, dated, span, context, published, sentence_start=0, before=""):
    districts = here[here["level"] == "district"].drop_duplicates("pcode")
    if districts.empty:
        return []
    split = claim_rules.denial_split(text)
    if split is not None:
        # The Taliban's claim and the officials' denial in one sentence: two claims, the same day.
        claimed = _claims(text[:split], here, dated, span, context, published, sentence_start, before)
        denier = claim_rules.claimant(text[split:], context["source"], before)
        answer = "contested" if claim_rules.control_status(text[split:]) == ("contested", False) else "government"
        return claimed + [
            {
                **claim,
                "status": answer,
                "claimant": denier,
                "denied": True,
                "notes": f"Proposed by geo extract: {denier} say {claim['district']} is {_STATUS_WORDS[answer]}.",
            }
            for claim in claimed
            if claim["status"] == "taliban"
        ]
    if claim_rules.PRESENT.search(text) and resolve_date(text, published) is None:
        dated = (published, 1)  # "the district is now under Taliban control": so on the day it is told
    elif claim_rules.SINCE.search(text) and resolve_date(claim_rules.without_since(text), published) is None:
        dated = (published, 1)  # "... in parts of the district since April": a state told on the day of the report
    told = _told_of_each(text, districts, dated, published, sentence_start)
    if not any(told):
        return []
    claimant = claim_rules.claimant(text, context["source"], before)
    control = claim_rules.control_status(text)
    denied = bool(control and control[1])
    if claimant == "Taliban" and control and control[0] == "government" and claim_rules.DENIAL.search(text):
        # "The Taliban dismissed reports that Afghan forces recaptured the district", "denied the claim,
        # insisting the militants are in control of the district": theirs still.
        told = [[("taliban", day) for _, day in statuses] for statuses in told]
    return [
        {
            **context,
            "date": day,
            "pcode": place.pcode,
            "district": place.district,
            "province": place.province,
            "status": status,
            "claimant": claimant,
            "denied": denied,
            "years_long": bool(claim_rules.YEARS_LONG.search(text)),
            "assessed": claimant == context["source"] and bool(claim_rules.ASSESSED.search(text)),
            # The passage reaches back to the district's name ("the city" named a sentence before).
            "source_start": min(span[0], int(place.start)),
            "source_end": span[1],
            "notes": f"Proposed by geo extract: {claimant} say {place.district} is {_STATUS_WORDS[status]}.",
        }
        for place, statuses in zip(rows_of(districts), told)
        for status, day in statuses
    ]


def _told_of_each(text, districts, dated, published, sentence_start):
    """Each district's ``[(status, day)]`` (see :func:`.claims.told_of_each`)."""
    own_only = districts["own_only"].tolist() if "own_only" in districts else [False] * len(districts)
    mentions = [
        (start - sentence_start, end - sentence_start, only)
        for start, end, only in zip(districts["start"], districts["end"], own_only)
    ]
    return claim_rules.told_of_each(text, mentions, dated, published)


_STATUS_WORDS = {"taliban": "held by the Taliban", "government": "held by the government", "contested": "contested"}


def _incidents(row, here, when, span, context, published, last_kind=None):
    """The incidents one sentence reports, one per clause with a kind of event (and per district
    for a seizure of several or a strike on listed districts)."""
    text = row["text"]
    if when[1] >= 3 or _other_year_only(text, when):
        return []  # "two months ago", "last month", "in 2015": background, not a new event
    found = _kinds(text, row["start"], last_kind)
    rows = []
    for first, last, position, clause, event_type, sub_type, weak in found:
        if sub_type in TERRITORY and _ONLY_CLAIMED.search(clause) and resolve_date(text, published) is None:
            continue  # "An official denied that Khwaja Ghar fell": with no day, a claim and its answer, no event
        event_type, sub_type = _territory_kind(text, event_type, sub_type)
        if sub_type in TERRITORY and _UNDATED_PAST.search(clause) and resolve_date(text, published) is None:
            continue  # "Earlier, the Taliban captured Anardara": the district's status (a claim), no dated event
        if sub_type == "Armed clash" and _ONGOING.search(clause) and resolve_date(clause, published) is None:
            continue  # "Fighting continues in Khwaja Ghar district": a state of things (a claim), no day's event
        own = resolve_date(clause, published) if clause != text else None
        when = (*own, False) if own and own[1] < 3 and not is_reported(clause) else when
        candidates = here[~here["role"]]
        if candidates.empty:
            continue
        inside = candidates[(candidates["start"] >= first) & (candidates["end"] <= last)]
        targets = _targets(inside if not inside.empty else candidates, position, sub_type, "" if weak else clause)
        if not weak and len(targets) == 1 and len(candidates) > 1:
            targets = _listed(inside if not inside.empty else candidates, targets, text, row["start"])
        if sub_type in TERRITORY and (targets["level"] != "district").any() and len(targets) > 1:
            continue  # territory changes hands district by district (one in a province may be named later)
        if _vague(targets, sub_type, when, text):
            continue
        actor1, actor2 = events.actors(clause, sub_type)
        deaths, qualifier = count_deaths(clause if len(found) > 1 else text)
        separate = events.SEPARATE.search(clause)
        rows += [
            {
                **context,
                **_place_fields(place),
                "event_date": when[0],
                "time_precision": str(when[1]),
                "reported": when[2] if len(when) > 2 else False,
                "event_type": event_type,
                "sub_event_type": sub_type,
                "actor1": actor1,
                "actor2": actor2,
                "fatalities": share,
                "fatalities_qualifier": qualifier,
                "source_start": span[0],
                "source_end": span[1],
                "placed_by": "geocoder",
                "weak": weak,
                # "The incident took place in X": places or dates an event told before, never one alone.
                "only_merge": _only_places(clause, position - first) and sub_type == "Armed clash",
                "copies": _COUNTS.get(separate.group("count").lower(), 1) if separate else 1,
                "separate": _is_separate(text),
                "exact_day": _exact_day(clause if own else text, when),
            }
            for place, share in zip(rows_of(targets), _shares(deaths, len(targets)))
        ]
    return rows


# A change of hands only claimed or denied: "claimed to have taken control of areas", "denied that X fell".
_ONLY_CLAIMED = re.compile(
    r"\b(?:denied|denies|deny|rejected|dismissed|refuted)\s+(?:\w+\s+){0,3}?(?:that|reports?|claims?)\b|"
    r"\bclaim(?:s|ed)?\s+(?:to\s+have|that)\b",
    re.IGNORECASE,
)


# "In a separate incident, ...", "Separately, ...", "This comes as a car bomb ...": another event
# than the one told before, though at the same place and about the same day.
_SEPARATE_EVENT = re.compile(
    r"^(?:(?:meanwhile|separately|elsewhere),?\s+)?(?:(?:in|during)\s+(?:a|an|another)\s+"
    r"(?:(?:separate|different|similar|second|third|related|unrelated|other)\s+)?(?:\w+\s+)?(?:incident|attack|event|"
    r"development|case|clash|strike|airstrike|blast|explosion|bombing|raid|ambush)s?\b|separately\b|elsewhere\b|"
    r"(?:this|it|that)\s+(?:comes?|came)\s+(?:as|after|while|a day after|days after|hours after)\b)",
    re.IGNORECASE,
)


# A day named outright ("on Tuesday", "on Sept. 3"), and words that put an event across midnight.
_NAMED_DAY = re.compile(
    r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2}\b|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*)",
    re.IGNORECASE,
)
_ABOUT_MIDNIGHT = re.compile(r"\b(?:night|overnight|late|evening|early|dawn|midnight|hours)\b", re.IGNORECASE)


def _exact_day(text, when):
    """Whether an event's day is named outright in its own words, not read from "overnight" or a
    night that may run into the next day, nor from the day it was told."""
    told = len(when) > 2 and when[2]
    return not told and when[1] == 1 and bool(_NAMED_DAY.search(text)) and not _ABOUT_MIDNIGHT.search(text)


def _only_places(clause, position):
    """Whether the clause's event is only a reference that places or dates one told before ("The
    incident took place in X"), not a kind of event of its own ("We launched attacks. These operations
    were conducted in X")."""
    reference = events.INCIDENT.search(clause)
    return reference is not None and reference.start() <= position and not events.SIMILAR.search(clause)


_MEANWHILE = re.compile(r"^(?:meanwhile|in the meantime|also)\b", re.IGNORECASE)


def _is_separate(text):
    """Whether a sentence tells another event than the ones before it: "In a separate incident", or
    "Meanwhile, ..." with an event that is no reference back ("Meanwhile, the Taliban confirmed the
    attack" is the same one)."""
    if _SEPARATE_EVENT.match(text):
        return True
    return bool(_MEANWHILE.match(text)) and not (events.ANAPHOR.search(text) or events.INCIDENT.search(text))


_ONGOING = re.compile(
    r"\b(?:fighting|clashes|battles?|gunfights?|firefights?)\s+(?:\w+\s+){0,2}?(?:continues?|continuing|rages?|raging|"
    r"(?:is|are|was|were|has been|have been)\s+(?:still\s+)?(?:ongoing|going on|continuing|under ?way|raging)|"
    # "heavy fighting has been reported there": told with no day, a state of things
    r"(?:has|have)\s+(?:also\s+)?been\s+reported)\b",
    re.IGNORECASE,
)
_UNDATED_PAST = re.compile(r"\b(?:earlier|recently|previously|once|in the past)\b", re.IGNORECASE)
_COUNTS = {"two": 2, "three": 3, "four": 4, "2": 2, "3": 3, "4": 4}


def _kinds(text, sentence_start, last_kind=None):
    """Each clause's kind of event as ``(first, last, trigger position, clause, type, sub-type, weak)``,
    file offsets; clauses about a span of time ("since Saturday") are left out. A clause that
    only refers back ("the attack", "the incident") or says who was killed is weak: it joins an
    event told before at that place."""
    found = []
    for clause_start, clause_end in events.clauses(text):
        clause = text[clause_start:clause_end]
        similar = events.SIMILAR.search(clause) and last_kind is not None
        hit = (
            (_referred(clause, last_kind) if similar else None)
            or events.trigger(clause)
            or _referred(clause, last_kind)
        )
        if hit is None or is_span(clause):
            continue
        position, event_type, sub_type = hit
        rest = clause[position:].lower()
        weak = sub_type == "Armed clash" and (rest.startswith(("killed", "killing")) or _refers_back(clause, position))
        first, last = sentence_start + clause_start, sentence_start + clause_end
        found.append((first, last, first + position, clause, event_type, sub_type, weak))
        attack = events.ATTACK_ANSWERED.search(clause) if sub_type == "Air/drone strike" else None
        if attack:
            # "The Taliban attacked the district centre and air strikes killed 20 of them": the
            # attack and the strike answering it are two events (ACLED codes them apart).
            found.append((first, last, first + attack.start(), clause, "Battles", "Armed clash", False))
    return found


def _referred(clause, last_kind):
    """The kind of a clause that only refers back: "the strikes were launched in Qaysar and Dawlat
    Abad districts" is of the kind just reported; "the incident took place in X" only places it."""
    if events.SIMILAR.search(clause) and last_kind is not None:
        return events.SIMILAR.search(clause).start(), *last_kind
    if events.INCIDENT.search(clause):
        return events.INCIDENT.search(clause).start(), "Battles", "Armed clash"
    reference = events.ANAPHOR.search(clause)
    if reference is None or last_kind is None or events.NOT_EVENTS.search(clause):
        return None
    return reference.start(), *last_kind


def _refers_back(clause, position):
    """Whether the trigger at `position` is a reference to an event told before ("the attack")."""
    return any(match.start() <= position < match.end() for match in events.ANAPHOR.finditer(clause))


# Government forces as the subject of a capture verb, no insurgent named between.
_FORCES_TOOK = re.compile(
    r"\b(?:security forces|Afghan forces|government forces|troops|commandos|ANDSF)\s+"
    r"(?:(?!Taliban|militants|insurgents|and\b|but\b|who\b|which\b|after\b)[\w-]+\s+){0,12}?"
    r"(?:captured|seized|took control of|took over|(?:have|has) taken control of)\b",
    re.IGNORECASE,
)


def _territory_kind(text, event_type, sub_type):
    """A capture verb is a district changing hands only when the sentence claims one: retaken by
    the government, seized by the Taliban; a post or a base taken is a clash."""
    if sub_type != "Non-state actor overtakes territory":
        return event_type, sub_type
    control = claim_rules.control_status(text)
    if _FORCES_TOOK.search(text) and not events.takes_small_object(text):
        return event_type, "Government regains territory"  # "security forces today captured Yamgan district"
    if control == ("government", False) and not events.takes_small_object(text):
        return event_type, "Government regains territory"  # "captured by Afghan forces"
    if control is None or control[0] != "taliban" or events.takes_small_object(text):
        return "Battles", "Armed clash"
    return event_type, sub_type


def _vague(targets, sub_type, when, text):
    """Fighting "in Baghlan province" with no day and no dead is too vague to be an event."""
    province_only = (targets["level"] == "province").all()
    undated = len(when) > 2 and when[2]
    # ("a Taliban shadow governor was killed during operations in Paktika": someone died, not vague)
    return (
        province_only
        and sub_type == "Armed clash"
        and undated
        and not (count_deaths(text)[0] or _ONE_KILLED.search(text))
    )


_ONE_KILLED = re.compile(
    r"\b(?:was|has been|had been)\s+(?:shot\s+)?(?:killed|shot dead|assassinated|martyred)\b", re.IGNORECASE
)


def _shares(deaths, parts):
    """One toll for several districts is split between them (ACLED), the rest to the first."""
    return [deaths // parts + (deaths % parts if number == 0 else 0) for number in range(parts)]


def _place_fields(place):
    return {
        "location": place.name,
        "admin1": place.province,
        "admin2": place.district if place.level == "district" else "",
        "pcode": place.pcode,
        "geo_precision": place.level,
    }


# "the shadow governor for Gulran", "Herat Governor", "the explosives chief for Helmand":
# a place named for someone's post, not where something happened.
_ROLE_BEFORE = re.compile(
    r"(?:(?:governor|chief|commander|head|officials?|spokes(?:man|person)|council|director|member|representative)s?"
    # "the shadow district chief of the group for the WorMay"
    r"\s+(?:\w+\s+)?(?:(?:of|for)\s+(?:the\s+)?(?:group|Taliban|militants|insurgents)\s+)?(?:of|for)|(?:director|chief|head|representative)\s+in|(?:ministry|embassy)\s+in|\bfrom(?:\s+neighbou?ring)?|\bborder(?:s|ing)|\bneighbou?ring"
    # "a U.S. envoy arrived in Kabul", "travelling to Kabul", "the US military in Kabul confirmed":
    # where people went or sit, not where the event was.
    r"|\b(?:arrived|arriving)\s+(?:\w+\s+){0,3}?(?:in|to)"
    # ("the victims were travelling in Qarghayi district when the bomb went off": where they were)
    r"|\b(?:travell?(?:ed|ing)|on (?:the|their|his|her) way|headed|heading|returned|flown|evacuated)\s+(?:\w+\s+){0,3}?(?:to|for)"
    # "en route to Pul-e-Alam", "taken to hospital in Herat", "transferred to the city of Farah"
    r"|\ben route to|\b(?:taken|transferred|shifted|rushed|moved)\s+to\s+(?:(?:a|the)\s+)?(?:\w+\s+)?(?:hospitals?\s+in|city\s+of)"
    r"|\b(?:transferred|shifted|rushed)\s+to"
    # "overran the district, posing threats to provincial capital Faizabad city": a place threatened, not taken
    r"|\bthreat(?:s|en(?:s|ed|ing)?)?(?:\s+to)?"
    # "in Qara Bagh district, northern Kabul city": where the district lies, not a second place
    r"|\bdistrict,"
    r"|\b(?:military|embassy|command|headquarters|envoy)\s+in"
    # "west of provincial capital Qala-e-Naw", "20 km from Kunduz city", "who is based in Balkh": a landmark or a seat.
    r"|\b(?:north|south|east|west)(?:-?(?:east|west))?(?:ern)?\s+(?:part\s+)?of|\b(?:km|kilometres|kilometers|miles)\s+(?:\w+\s+)?(?:from|of)"
    r"|\b(?:based|stationed|headquartered)\s+in)\s+(?:the\s+)?(?:provincial\s+capital\s+)?"
    r"(?:(?:north|south|east|west|central)\w*\s+)?(?:capital\s+(?:city\s+)?)?$",
    re.IGNORECASE,
)
_ROLE_AFTER = re.compile(
    r"^[’']?s?\s+(?:provincial\s+|deputy\s+)?(?:governor|police chief|police spokesman|council)"
    # "Raz Mohammad, Jaghatu district chief of Wardak": his post, not where he was.
    r"|^\s+district\s+(?:chief|governor|police chief)\b",
    re.IGNORECASE,
)
# "near Green Village on the Kabul - Jalalabad highway": the road's far end is not where it was.
_ROAD_END = re.compile(r"[A-Z][\w-]*\s*(?:-|–|—)\s*$")
_ALONG = re.compile(r"\b(?:near|on|along|off)\s+(?:the\s+)?$", re.IGNORECASE)
_ROAD_AFTER = re.compile(r"^\s+(?:[a-z]+\s+)?(?:highway|road)\b", re.IGNORECASE)  # "the Bagram airfield road"


# "abducted dozens of passengers from Kunduz", "taken away ... from the Khan Abad district": where
# people were taken from is where the abduction was.
_TAKEN_FROM = re.compile(
    r"\b(?:abduct\w*|kidnap\w*|taken away|took away|snatched|seized)\b[^.;]{0,100}\bfrom(?:\s+the)?\s+$", re.IGNORECASE
)


def _roles(found, sentences):
    """Which mentions name a post ("governor of X"), a seat or a journey's end rather than a place
    of events, each read in its own sentence."""
    starts = sentences["start"].to_dict()
    texts = sentences["text"].to_dict()
    return pd.Series(
        [
            _is_role(texts[label], start - starts[label], end - starts[label])
            and not (level == "district" and _LATER_THE_DISTRICT.search(texts[label], end - starts[label]))
            for label, start, end, level in zip(found["sentence"], found["start"], found["end"], found["level"])
        ],
        index=found.index,
        dtype=bool,
    )


# "acting police chief of Sayyad district ... ambushed their vehicle in a surrounding area of the
# district": the district named for a post is where it happened when the sentence comes back to it.
_LATER_THE_DISTRICT = re.compile(
    r"\b(?:in|of|near|around|inside|outside|on|into|across)\s+(?:(?!district\b)\w+\s+){0,4}?(?:the|that|this|same)\s+district\b",
    re.IGNORECASE,
)


def _is_role(text, start, end):
    before, wide, after = text[max(0, start - 70) : start], text[max(0, start - 160) : start], text[end : end + 30]
    if _AREA_OF.match(after):
        return True  # "in Namak Ab area of Shinwari district", "in Ghorband valley of the district": a part of another
    if _WHERE_IT_HAPPENED.match(after) or _PART_OF.search(before):
        return False  # "the chief of the Aliabad district, where the assault occurred", "in the west of Kabul city"
    if (_ROAD_END.search(before) or _ALONG.search(before)) and _ROAD_AFTER.match(after):
        return True  # a road is named for where it leads ("near the Bagram airfield road" in Kabul)
    return bool((_ROLE_BEFORE.search(before) and not _TAKEN_FROM.search(wide)) or _ROLE_AFTER.search(after))


# "in the west of Kabul city", "in the northern part of the province": inside the place, not off it.
# ("30 kilometers in the east of Ghazni city" is off it, and so is Xinhua's "in the district in the
# western part of provincial capital Herat city".)
_PART_OF = re.compile(
    r"(?<!kilometers )(?<!kilometres )(?<!km )(?<!miles )(?<!district )\b(?:in|on|across)\s+the\s+"
    r"(?:north|south|east|west|central)(?:-?(?:east|west))?(?:ern)?\s+(?:parts?\s+)?of\s+(?:the\s+)?"
    r"(?:(?:north|south|east|west|central)\w*\s+)?$",
    re.IGNORECASE,
)
_AREA_OF = re.compile(
    r"^\s+(?:area|valley|village|region|locality)(?:\s+of|\s+in|,)\s+(?:the\s+district\b|(?:[A-Z][\w’'-]*\s+){1,3}district\b)"
)
_WHERE_IT_HAPPENED = re.compile(
    r"^\s*(?:district|province)?,?\s+where\s+(?:the\s+)?(?:attack|assault|incident|blast|explosion|clash|fighting|ambush)",
    re.IGNORECASE,
)


_YEAR = re.compile(r"\b(?:19|20)\d\d\b")


def _other_year_only(text, when):
    """A sentence naming only another year ("in 2015 ...") dates no event the reader can place."""
    years = {int(year) for year in _YEAR.findall(text)}
    return bool(years) and when[0].year not in years


_DISTRICTS = re.compile(r"\band\s+(?:(?:[A-Z][\w’'-]*|wa|va|o|e|i)\s+){1,4}districts\b")


def _targets(here, position, sub_type, clause=""):
    """Where an event happened: every district taken (or listed, "in the Gizab and Khas Uruzgan
    districts"), else the district (or province) named nearest its trigger."""
    # Worked on plain lists: a sentence names a handful of places, and this runs for every event.
    levels, pcodes = here["level"].tolist(), here["pcode"].tolist()
    distances = [abs(start - position) for start in here["start"].tolist()]
    districts = _first_of_each(pcodes, [level == "district" for level in levels])
    if districts and (sub_type == "Non-state actor overtakes territory" or _DISTRICTS.search(clause)):
        return here.iloc[districts]
    nearest = min(_first_of_each(pcodes, [True] * len(pcodes)), key=distances.__getitem__)
    if levels[nearest] == "province":
        # "in Baharak district of Takhar province": the district, not the province.
        provinces = here["province_pcode"].tolist()
        inside = [row for row in districts if provinces[row] == pcodes[nearest]]
        if inside:
            return here.iloc[[min(inside, key=distances.__getitem__)]]
    return here.iloc[[nearest]]


def _first_of_each(pcodes, keep):
    """Positions of the first kept row of each pcode, in order."""
    seen, rows = set(), []
    for row, (pcode, kept) in enumerate(zip(pcodes, keep)):
        if kept and pcode not in seen:
            seen.add(pcode)
            rows.append(row)
    return rows


# Between two places of one list: "in Kabul and in central Parwan province", "in Kunar, Nangarhar and ...".
_LIST_GAP = re.compile(
    r"^(?:\s+(?:districts?|provinces?|city))?(?:,|,?\s+and|,?\s+as well as)\s+(?:in\s+)?(?:the\s+)?"
    r"(?:(?:north|south|east|west|central)\w*\s+)?(?:(?:province|district)\s+of\s+)?$",
    re.IGNORECASE,
)


def _listed(pool, target, text, sentence_start):
    """The place an event is told at, and the others listed with it ("attacks in Kabul and in
    central Parwan province"): one event each. A district and its own province are one place, not a
    list ("in Nad Ali district, Helmand province")."""
    pool = pool.drop_duplicates("pcode").sort_values("start")
    rows = list(zip(pool.index, pool["start"], pool["end"], pool["pcode"]))
    at = next(number for number, row in enumerate(rows) if row[0] == target.index[0])
    first = last = at
    while first > 0 and _joined(rows[first - 1], rows[first], text, sentence_start):
        first -= 1
    while last + 1 < len(rows) and _joined(rows[last], rows[last + 1], text, sentence_start):
        last += 1
    return pool.loc[[row[0] for row in rows[first : last + 1]]] if last > first else target


def _joined(left, right, text, sentence_start):
    gap = text[left[2] - sentence_start : right[1] - sentence_start]
    return not (left[3].startswith(right[3]) or right[3].startswith(left[3])) and bool(_LIST_GAP.match(gap))
