"""Step 6 of the extractor: control claims, with their status and claimant.

A district is claimed **taliban** when it is said to be seized, captured,
overrun, fallen or collapsed (or Taliban-held); **government** when it is
retaken, recaptured, cleared, regained, "under the control of security
forces", or an attack on it was repelled; **contested** when it is under
siege, fighting goes on, or parts are held. A denial ("officials denied the
district fell") and a failed attempt ("tried to capture ... but were
repelled") never make a seizure: they are the officials' government claim.
The claimant is whoever the sentence credits: the Taliban (their spokesman),
a provincial council member, the ministry, local officials, or else the
outlet itself.
"""

import functools
import re

from .events import SMALL_OBJECT

TALIBAN_WORDS = re.compile(
    r"\b(?:seized|captured|overran|overrun|took (?:full )?control of|taken (?:full )?control of|fell to|fallen|"
    r"fell\b|collapsed|taken over|took over|had taken|have taken|has taken|Taliban[- ]controlled|Taliban[- ]held|"
    r"Taliban stronghold|under (?:the )?(?:full )?control of the Taliban|(?:is|are|was|were|remains?) (?:\w+ )?controlled by (?:the )?Taliban|under Taliban control|in Taliban hands|"
    # "The Taliban has been in control of the Yamgan and Warduj districts for years"
    r"Taliban (?:\w+ ){0,3}?(?:in control of|in full control of|controls?|holds?)|"
    # "the Taliban has consolidated its control over the district"
    r"Taliban (?:\w+ ){0,4}?(?:its |their )control (?:over|of)|"
    # "Afghan security forces retreated overnight from the district center": the defenders left it.
    r"(?:forces|troops|soldiers|police(?:men)?|army|officials)\s+(?:\w+\s+){0,2}?"
    r"(?:retreated|withdrew|pulled out|abandoned|evacuated|fled)(?=\s+(?:\w+\s+){0,2}?(?:from|the)\b))\b",
    re.IGNORECASE,
)
GOVERNMENT_WORDS = re.compile(
    r"\b(?:retook|retaken|recaptured|regained|reclaimed|cleared of|evicted|expelled|flushed out|"
    r"cleared (?:the )?(?:\w+ ){0,2}(?:district|town|city|centre|center|headquarters)|liberated|repelled|repulsed|pushed back|"
    r"beaten back|defeated|driven (?:out|off|back)|forced (?:them|the Taliban|the attackers) to (?:flee|escape|retreat)|"
    r"contain(?:ed)? the Taliban|under (?:the )?(?:full )?control of (?:the )?(?:Afghan |security |government )*(?:forces|government)|"
    r"under government control|back under|"
    r"(?:captured|seized|taken|cleared|freed) by (?:the )?(?:Afghan |security |government |national |special )*(?:forces|army|troops|commandos))\b",
    re.IGNORECASE,
)
CONTESTED_WORDS = re.compile(
    r"\b(?:under siege|besieged|encircled|surrounded|fighting (?:is |was )?(?:still )?(?:ongoing|continu\w*|raging)|"
    r"clashes (?:are |were )?(?:still )?(?:ongoing|continu\w*)|(?:still|continue to) fight|partly|"
    r"contested|battling|fighting in|clashes in|clearing operations? (?:is|are|was|were)? ?(?:under ?way|ongoing|continu\w*)|"
    r"operations (?:against the Taliban )?(?:are|were) under ?way)\b",
    re.IGNORECASE,
)
PARTLY_WORDS = re.compile(
    r"\b(?:under siege|besieged|encircled|surrounded|partly|contested|"
    r"(?:captured|seized|controls?|controlled|holds?|held|overran|entered)\s+(?:\w+\s+){0,3}?parts? of|"
    r"parts? of (?:the )?(?:district|city|town|centre|center))\b",
    re.IGNORECASE,
)
DENIAL = re.compile(r"\b(?:denied|deny|denies|rejected|dismissed|false|not true|baseless|propaganda)\b", re.IGNORECASE)
FAILED = re.compile(
    r"\b(?:tried|attempted|attempt|sought|failed|trying|intended) to (?:capture|seize|take|overrun)\b", re.IGNORECASE
)
_CLAIMANTS = [
    (
        re.compile(
            r"Taliban (?:spokesman|spokesperson|said|claimed|say|statement)|Zabihullah|Mujahid|Qari Yousuf|Ahmadi said|the group (?:said|claimed)|insurgents (?:said|claimed)|"
            # "the Taliban group told reporters in a message", "an insurgent spokesman said"
            r"(?:Taliban|insurgents?|militants?)(?: group)? (?:spokesman|spokesperson|says|told|tweeted|in a (?:message|statement))|"
            r"Taliban claimed (?:\w+ ){0,6}?(?:spokesman|tweet)",
            re.IGNORECASE,
        ),
        "Taliban",
    ),
    (re.compile(r"provincial council", re.IGNORECASE), "provincial council member"),
    (
        re.compile(r"ministry|MoD\b|MoI\b|National Security Council|NSC\b|Kabul government", re.IGNORECASE),
        "Afghan government",
    ),
    (
        re.compile(
            r"governor|police chief|official|spokesman|spokesperson|authorities|commander|district chief|police said",
            re.IGNORECASE,
        ),
        "local officials",
    ),
    (re.compile(r"Resolute Support|U\.?S\.? military|NATO|US forces", re.IGNORECASE), "US/NATO forces"),
]


@functools.lru_cache(maxsize=8192)  # a sentence is read several times (clauses, merges)
def control_status(text):
    """Return ``(status, denied)`` for a sentence, or None when it claims no control.

    ``denied`` is True when the sentence denies a fall or reports a failed
    attempt: its status is then the government's, never a seizure.
    """
    failed = [match for match in FAILED.finditer(text) if not _takes_small_object(text, match)]
    denied = bool(DENIAL.search(text) and TALIBAN_WORDS.search(text)) or bool(failed)
    if denied:
        return "government", True
    # Partial hold first ("captured parts of"), then retaking, then falls; fighting alone last
    # ("fell to the Taliban after days of fighting in the district" is a fall).
    if any(not _takes_small_object(text, match) for match in PARTLY_WORDS.finditer(text)):
        return "contested", False
    if any(not _takes_small_object(text, match) for match in GOVERNMENT_WORDS.finditer(text)):
        return "government", False
    if any(not _takes_small_object(text, match) for match in TALIBAN_WORDS.finditer(text)):
        return "taliban", False
    if any(not _takes_small_object(text, match) for match in CONTESTED_WORDS.finditer(text)):
        return "contested", False  # "insurgents have surrounded an army base" is no claim on the district
    return None


def _takes_small_object(text, match):
    """ "overran an army checkpoint", "captured six soldiers", "took control of a village": no
    district changed hands."""
    after, before = text[match.end() : match.end() + 60], text[max(0, match.start() - 40) : match.start()]
    return bool(SMALL_OBJECT.match(after) or _PART.match(after) or _SMALL_SUBJECT.search(before))


# "The checkpoints were later retaken": the subject of a passive is what was taken.
_SMALL_SUBJECT = re.compile(
    r"\b(?:checkpoints?|check[- ]?posts?|posts?|outposts?|bases?|positions?|villages?|areas?)\s+(?:\w+\s+){1,3}$",
    re.IGNORECASE,
)
_PART = re.compile(r"^\s+(?:\w+\s+){0,5}?(?:villages?|areas?|localit(?:y|ies)|houses?|parts?)\b", re.IGNORECASE)


# Forces fighting to win back a district that fell: it fell, and it is contested now.
RETAKE_EFFORT = re.compile(
    r"\b(?:fighting|trying|efforts?|operations?|battling|attempting|struggling|push(?:ing)?)\s+(?:\w+\s+){0,4}?to\s+"
    r"(?:retake|recapture|reclaim|regain|win back)\b",
    re.IGNORECASE,
)


def claimant(text, outlet):
    """Return who the sentence credits with the claim (the outlet when no one)."""
    for pattern, name in _CLAIMANTS:
        if pattern.search(text):
            return name
    return outlet or "the outlet"
