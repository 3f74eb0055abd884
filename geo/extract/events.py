"""Step 5 of the extractor: what kind of event a sentence reports, and who acted.

Trigger words map to ACLED event types and sub-types, the most specific
first (a suicide car bomb is a suicide bomb, not an IED; an air strike
during a clash is an air strike). Sentences about plans, threats, totals over
a span of time, or quoted talk of violence in general report no event.
"""

import functools
import itertools
import re

# (pattern, event type, sub-event type), most specific first.
KINDS = [
    (
        (
            r"suicide (?:attack|bombing|blast|explosion|car|truck|assault)\b|suicide bomber (?:\w+ ){0,3}?(?:killed|blew|detonated|struck|hit|"
            r"targeted|attacked|rammed|set off)|car[- ]bomb|truck[- ]bomb|vehicle[- ]borne|explosives?-(?:laden|packed)|blew himself up|VBIED"
        ),
        "Explosions/Remote violence",
        "Suicide bomb",
    ),
    (
        r"air ?strikes?|air ?raids?|drone (?:strikes?|attacks?)|"
        # "The drone targeted the militants in Garmsir", "an unmanned aerial vehicle struck"
        r"(?:drones?|unmanned aerial vehicles?|UAVs?) (?:\w+ )?(?:targeted|struck|hit|fired|attacked|bombed|pounded)|air force (?:\w+ )?(?:strikes?|raids?|bomb\w*|targeted)|aerial (?:attack|bombardment|strikes?)|airstrikes?|kinetic strike|bombed|air support",
        "Explosions/Remote violence",
        "Air/drone strike",
    ),
    (
        (
            r"roadside bomb|improvised explosive|\bIEDs?\b|landmines?|mines? (?:blast|explo)|magnetic bomb|sticky bomb|"
            r"bomb (?:blast|explosion|exploded|went off|attack|hit|struck|tore)|bomb and gun|explosion|blast|bombing|detonat|\bbombs?\b|"
            # "a roadside mine went off", "the mine was planted by the Taliban"
            r"(?:roadside|planted|land|magnetic|sticky)[- ]?mines?\b|\bmines? (?:went off|exploded|planted|was planted|hit|struck)"
        ),
        "Explosions/Remote violence",
        "Remote explosive/landmine/IED",
    ),
    (
        r"rockets?|mortars?|shelling|artillery|missiles?|HIMARS",
        "Explosions/Remote violence",
        "Shelling/artillery/missile attack",
    ),
    (r"grenades?", "Explosions/Remote violence", "Grenade"),
    (
        r"abduct|kidnap|taken (?:hostage|captive|away)|took away|seized (?:\w+ ){0,3}(?:passengers|civilians|travell?ers)",
        "Violence against civilians",
        "Abduction/forced disappearance",
    ),
    (
        (
            r"(?:overran|overrun|captured|seized|took control of|taken control of|fell to|fallen to|has fallen|had fallen|"
            r"collapsed|took over|taken over|taken|capture of|fall of|"
            # a bulletin's "Ashtaran watch post fall by Taliban"
            r"(?:posts?|checkpoints?|outposts?) falls? (?:by|to|in)|(?:posts?|checkpoints?|outposts?) fell)\b"
        ),
        "Battles",
        "Non-state actor overtakes territory",
    ),
    (
        r"retook|retaken|recaptured|regained|reclaimed|liberated|recovered control|"
        # "forces have cleared Jaghatu district in Ghazni province from Taliban"
        r"cleared\s+(?:[\w#-]+\s+){0,8}?(?:from|of)\s+(?:the\s+)?(?:Taliban|militants|insurgents|enem(?:y|ies))",
        "Battles",
        "Government regains territory",
    ),
    (
        r"(?:shot dead|gunned down|assassinat|executed|beheaded|targeted killing|opened fire on (?:\w+ ){0,3}(?:civilians|worshippers|passengers|villagers))",
        "Violence against civilians",
        "Attack",
    ),
    (
        r"\briot(?:s|ing|ers)?\b|\bmobs?\b|fir(?:ing|ed) (?:\w+ ){0,2}into the air|protesters? (?:\w+ ){0,3}?(?:clashed|set fire|torched|burn\w*|stormed|threw|pelted)",
        "Riots",
        "Violent demonstration",
    ),
    (
        (
            r"\b(?:clash|fighting|firefight|gun ?battle|battle[ds]?\b|attack|ambush|raid|assault|offensive|stormed|"
            r"killed|killing|fought|besieg|repelled|repulsed|pushed back)"
        ),
        "Battles",
        "Armed clash",
    ),
]
KINDS = [(re.compile(pattern, re.IGNORECASE), event_type, sub_type) for pattern, event_type, sub_type in KINDS]

# An insurgent attack told in the same clause as the air strike that answered it.
ATTACK_ANSWERED = re.compile(
    r"\b(?:Taliban|insurgents|militants)\s+(?:\w+\s+){0,2}?(?:attacked|stormed|assaulted|(?:launched|mounted|staged) (?:an? |a series of )?(?:\w+ )?attacks?|attack(?:ed)? on)\b",
    re.IGNORECASE,
)

# Sentences that talk about violence without reporting an event.
NOT_EVENTS = re.compile(
    # ("may", not the month: "late on May 3")
    r"\b(?:will|would|could|might|may(?!\s+\d)|plans? to|planning|threaten\w*|vow\w*|warn\w*|urg\w+|condemn\w*|"
    r"if|unless|whether|should|must|ceasefire|cease-fire|peace talks?|negotiat\w+|agreement|deal|"
    # Habits and background, not one event: "forces have repeatedly struck", "often provides air support".
    r"repeatedly|routinely|frequently|regularly|usually|often|near-daily|almost daily|"
    # "forces have recently beefed up operations", "the Taliban have stepped up their attacks": a trend.
    r"(?:have|has|had)\s+(?:\w+\s+)?(?:increased|intensified|stepped up|beefed up|ramped up|escalated|surged)|"
    r"no (?:immediate |other |further )?reports? of (?:any )?(?:\w+ )?(?:attacks?|violence|fighting|clashes|incidents?))\b",
    re.IGNORECASE,
)
# Words of violence strong enough to outweigh NOT_EVENTS words ("killed ... officials warned").
VIOLENCE = re.compile(
    r"\b(?:killed|killing|wounded|injured|died|dead|exploded|detonated|stormed|captured|seized|overran)\b",
    re.IGNORECASE,
)

_TALIBAN = re.compile(r"\bTaliban\b|insurgents?|militants?", re.IGNORECASE)
_ISLAMIC_STATE = re.compile(r"Islamic State|\bISIS\b|\bISIL\b|\bIS\b|Daesh|ISKP|IS-K", re.IGNORECASE)
_US = re.compile(
    r"\bU\.?S\.?\b|\bAmerican\b|\bUS-led\b|coalition|NATO|Resolute Support|foreign forces|international forces",
    re.IGNORECASE,
)
_AFGHAN_FORCES = re.compile(
    r"Afghan (?:security )?forces|security forces|army|soldiers|troops|commandos|special forces|ANA\b|NDS|ministry of defen[cs]e|defen[cs]e ministry",
    re.IGNORECASE,
)
_POLICE = re.compile(r"\bpolice|policemen|checkpoints?\b", re.IGNORECASE)
_MILITIA = re.compile(r"\b(?:Arbaki|militia(?:men)?|uprising forces|local police)\b", re.IGNORECASE)
_CIVILIANS = re.compile(
    r"civilians?|children|women|worshippers|wedding|mosque|school|students|passengers|villagers|residents|bazaar|market|rally",
    re.IGNORECASE,
)

TALIBAN = "Taliban"
ISLAMIC_STATE = "Islamic State (Khorasan)"
AFGHAN_MILITARY = "Military Forces of Afghanistan"
AFGHAN_POLICE = "Police Forces of Afghanistan"
US_MILITARY = "Military Forces of the United States"
MILITIA = "Arbaki militia"
CIVILIANS = "Civilians (Afghanistan)"
UNIDENTIFIED = "Unidentified Armed Group (Afghanistan)"
RIOTERS = "Rioters (Afghanistan)"


def classify(text):
    """Return ``(event_type, sub_event_type)`` for a sentence, or None when it reports no event."""
    found = trigger(text)
    return None if found is None else found[1:]


@functools.lru_cache(maxsize=8192)  # a sentence is read several times (clauses, merges)
def trigger(text):
    """Return ``(position, event_type, sub_event_type)`` of the first kind a text reports, or None."""
    for pattern, event_type, sub_type in KINDS:
        match = pattern.search(text)
        if match and sub_type == "Shelling/artillery/missile attack" and _WEAPON_OF_ASSAULT.search(text):
            continue  # "stormed the district with guns and rocket launchers": a ground assault
        if match and sub_type == "Air/drone strike" and all(_backing(text, hit) for hit in pattern.finditer(text)):
            continue  # "forces backed by air strikes retook the district": the battle is the event
        if match and sub_type == "Armed clash" and _cause_only(text, pattern):
            return None  # "58 border police returned home following heavy battles": the fighting is background
        if match and sub_type == "Armed clash" and _siege_only(text, pattern):
            return None  # "the district is still under siege", "the Taliban blocked all roads ... a besiege"
        if match:
            if _not_event(text, match.start()):
                return None
            return match.start(), event_type, sub_type
    return None


def _not_event(text, position):
    """Whether words of plans, threats, habits or talks rule the event out: before its trigger ("will
    attack", "threatened to storm"); after it only the talk of peace does not ("a car bomb hit Ghazni on
    Sunday as negotiators met in Doha", "gunmen attacked a school ..., warning casualties could rise")."""
    if VIOLENCE.search(text):
        return False
    # ("The Taliban, who have threatened to disrupt the vote, attacked a polling centre": an aside)
    main = _ASIDE.sub(lambda aside: " " * len(aside.group()), text)
    return any(hit.start() < position for hit in NOT_EVENTS.finditer(main))


_ASIDE = re.compile(r"(?:^|,\s+)(?:who|which|whom)\b[^,;]*,")
_SIEGE = re.compile(r"\bbesieg\w*|\bsiege\b|\bblockade\b", re.IGNORECASE)


_AFTER = re.compile(
    r"\b(?:following|after)\s+(?:(?:a|an|the|two|three|several|days?|weeks?|of|heavy|fierce|intense)\s+){0,4}$",
    re.IGNORECASE,
)


_WITHDRAWAL = re.compile(r"\b(?:retreat\w*|withdr[ae]w\w*|fled|abandon\w*|pulled out|evacuated)\b", re.IGNORECASE)


def _cause_only(text, pattern):
    """Whether fighting is named only as what came before the act told ("returned home following heavy
    battles"), with no word of violence of its own."""
    if VIOLENCE.search(text) or _WITHDRAWAL.search(text):
        return False  # ("forces retreated from the district centre following fierce clashes": the fall itself)
    hits = list(pattern.finditer(text))
    return bool(hits) and all(_AFTER.search(text[max(0, hit.start() - 60) : hit.start()]) for hit in hits)


def _siege_only(text, pattern):
    """Whether a siege is all the text tells: a state, told as a claim, not an event of a day ("which
    came under attack last week, is still under siege": the attack is an aside of the siege)."""
    if not _SIEGE.search(text):
        return False
    main = _ASIDE.sub(lambda aside: " " * len(aside.group()), text)
    return all(_SIEGE.match(main, hit.start()) for hit in pattern.finditer(main))


_BACKED = re.compile(
    r"\b(?:backed|supported|assisted|aided|helped)\s+by\s+(?:the\s+)?(?:\w+\s+){0,3}$|\bwith\s+(?:the\s+)?(?:help|support|backing)\s+of\s+(?:\w+\s+){0,3}$",
    re.IGNORECASE,
)


def _backing(text, hit):
    """Whether air power is named only as support of a ground operation ("backed by air support")."""
    return bool(_BACKED.search(text[max(0, hit.start() - 50) : hit.start()]))


# Weapons named as the means of an assault, not shelling from afar.
_WEAPON_OF_ASSAULT = re.compile(
    r"\b(?:with|using|armed with)\s+(?:\w+\s+){0,4}?(?:rocket[- ]propelled|rocket launchers?|RPGs?|mortars?|"
    r"artillery(?: shells)?|rockets?)\b",
    re.IGNORECASE,
)
# What a capture verb took: a post, a base or people is a fight, not a district changing hands.
SMALL_OBJECT = re.compile(
    r"^\s+(?:\w+\s+){0,4}?(?:checkpoints?|check[- ]?posts?|security posts?|outposts?|posts?|bases?|compounds?|"
    r"positions?|hideouts?|soldiers|troops|policemen|police(?:men)?|members|people|civilians|weapons|vehicles?|"
    r"ammunition|equipment|tanks?|humvees?|prisoners?|hostages?)\b",
    re.IGNORECASE,
)
TAKING = re.compile(
    r"\b(?:overran|overrun|captured|seized|took control of|taken control of|took over|taken over|stormed|taken|took)\b",
    re.IGNORECASE,
)


def takes_small_object(text):
    """Whether every capture verb of a text takes a post, a base or people ("overran an army
    checkpoint", "captured six soldiers")."""
    takings = list(TAKING.finditer(text))
    return bool(takings) and all(
        SMALL_OBJECT.match(text[match.end() : match.end() + 60])
        or _PEOPLE_TAKEN.search(text[max(0, match.start() - 60) : match.start()])
        for match in takings
    )


# People as the subject of a passive capture: "resulting in one being captured", "50 soldiers are captured".
_PEOPLE_TAKEN = re.compile(
    r"\b(?:one|two|three|\d+|others?|soldiers|policemen|police|members|troops|personnel|people|civilians|officers|"
    r"guards|workers)\s+(?:\w+\s+)?(?:being|were|was|are|is|have been|had been|has been)\s+$",
    re.IGNORECASE,
)


# A reference back to an event told before: "the attack", "Friday night's attacks", "the incident".
ANAPHOR = re.compile(
    r"(?:\b(?:the|this|that|these|those)\s+|[’']s\s+)(?:\w+\s+){0,1}?(?:attacks?|assault|incident|blast|explosion|"
    r"bombing|strikes?|airstrikes?|raid|ambush|clash(?:es)?)\b",
    re.IGNORECASE,
)
# "The incident took place in X district": a sentence that only places or dates an event told before.
# "The operations were staged in X and Y districts": where the operation just told took place.
INCIDENT = re.compile(
    r"\b(?:the|this|that)\s+incident\b|\b(?:the|these|those)\s+(?:\w+\s+)?operations?\s+(?:was|were|had been)\s+"
    r"(?:\w+\s+)?(?:staged|conducted|carried out|launched|held|mounted)\s+in\b",
    re.IGNORECASE,
)
# "In a similar incident, a woman was killed in Parwan": another event of the kind just told.
SIMILAR = re.compile(r"\b(?:a|another|in a)\s+similar\s+(?:incident|attack|blast|explosion|incidents)\b", re.IGNORECASE)
# "two separate airstrikes": that many events.
SEPARATE = re.compile(
    r"\b(?P<count>two|three|four|2|3|4)\s+(?:separate|different)\s+(?:\w+\s+)?(?:air ?strikes|airstrikes|attacks|"
    r"blasts|explosions|bombings|raids|clashes|incidents)\b",
    re.IGNORECASE,
)


# Clause breaks inside a sentence: "..., and a commander was killed in clashes in Balkh".
CLAUSE_BREAK = re.compile(
    r"(?:,\s+and\s+|;\s+|,\s+while\s+|,\s+but\s+|\.\s+|,\s+adding\s+(?:that\s+)?)(?=[a-z]+\s)"
    # "Kohistan district, which fell on Thursday, was retaken on Saturday": the relative clause apart.
    r"|,\s+(?=(?:which|who)\s)|,\s+(?=(?:was|were|is|are|has|have|had)\s+(?:\w+\s+)?(?:retaken|recaptured|captured|seized|overrun|taken|cleared)\b)"
)


def clauses(text):
    """Return the ``(start, end)`` of a sentence's clauses, offsets into the sentence."""
    edges = [0, *(match.end() for match in CLAUSE_BREAK.finditer(text)), len(text)]
    return list(itertools.pairwise(edges))


def actors(text, sub_type):
    """Return ``(actor1, actor2)``: who acted and against whom, in ACLED's actor names."""
    armed = ISLAMIC_STATE if _ISLAMIC_STATE.search(text) else TALIBAN if _TALIBAN.search(text) else UNIDENTIFIED
    state = US_MILITARY if _US.search(text) and not _AFGHAN_FORCES.search(text) else AFGHAN_MILITARY
    if _MILITIA.search(text):
        target = MILITIA
    elif _POLICE.search(text):
        target = AFGHAN_POLICE
    else:
        target = AFGHAN_MILITARY
    if sub_type == "Violent demonstration":
        return RIOTERS, CIVILIANS
    if sub_type == "Air/drone strike":
        return (US_MILITARY if _US.search(text) else AFGHAN_MILITARY), (
            CIVILIANS
            if _CIVILIANS.search(text) and not _TALIBAN.search(text)
            else armed
            if armed != UNIDENTIFIED
            else TALIBAN
        )
    if sub_type == "Government regains territory":
        return state, (armed if armed != UNIDENTIFIED else TALIBAN)
    if sub_type == "Non-state actor overtakes territory":
        return (armed if armed != UNIDENTIFIED else TALIBAN), target
    if sub_type in ("Suicide bomb", "Remote explosive/landmine/IED", "Grenade", "Shelling/artillery/missile attack"):
        return armed, (CIVILIANS if _CIVILIANS.search(text) else target)
    if sub_type in ("Abduction/forced disappearance", "Attack"):
        return armed, CIVILIANS
    if _government_acts(text):
        return state, (armed if armed != UNIDENTIFIED else TALIBAN)
    return (armed if armed != UNIDENTIFIED else TALIBAN), target


_GOVERNMENT_ACTS = re.compile(
    r"(?:forces|troops|soldiers|commandos|police|army|military)\s+(?:\w+\s+){0,3}?(?:killed|launched|conducted|raided|targeted|attacked|cleared|arrested|destroyed)|"
    r"operations?\s+(?:against|on)\s+(?:the\s+)?Taliban|Taliban\s+(?:\w+\s+){0,3}?(?:were|was|have been|had been)\s+killed|"
    r"killed\s+(?:\w+\s+){0,4}?Taliban",
    re.IGNORECASE,
)


def _government_acts(text):
    return bool(_GOVERNMENT_ACTS.search(text))
