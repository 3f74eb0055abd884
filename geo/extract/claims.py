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
outlet itself; the speaker counts first ("he added", "Baig said" read back).

A sentence's claim is read clause by clause (:func:`told_of_each`): a
relative clause tells about the district just named ("Kohistan district,
which fell on Thursday, was retaken on Saturday"); a claim is about the
districts near its words, not another list; history ("a few years ago", "in
2015") and threats or fears ("could fall", "threatened to overrun") are no
claim; a status told by its week only ("fell last week") is dated on
publication, one told in the present ("is now under Taliban control") too.
A denial of a fall by a side that says fighting goes on is that side's
contested claim; the Taliban's claim and the officials' denial stay two.
"""

import functools
import re

from .. import settings
from . import events
from .dates import resolve_date
from .events import SMALL_OBJECT

TALIBAN_WORDS = re.compile(
    r"\b(?:seized|captured|overran|overrun|took (?:full )?control of|taken (?:full )?control of|fell to|fallen|"
    r"fell\b|collapsed|taken over|took over|had taken|have taken|has taken|Taliban[- ]controlled|Taliban[- ]held|"
    r"Taliban stronghold|under (?:the )?(?:full )?control of the Taliban|"
    # "the collapse of Baharak and Khwajaghar districts", "after the fall of the district"
    r"(?:collapse|fall) of|(?:’s|'s)\s+(?:fall|collapse|capture)\b|fell into|"
    # "the capture of Darqad", "the seizure of the district centre" (not of a commander or of heroin)
    r"(?:capture|seizure|takeover) of(?=\s+(?:the\s+)?(?:(?-i:[A-Z])[\w’'-]*\s+){0,3}(?:district|city|town|centre|center|capital)\b|"
    r"\s+(?!(?-i:Taliban|Mullah|Commander|Daesh|Al\b|IS\b))(?-i:[A-Z]))|"
    # "handed over to the Taliban", "the government lost control of the district"
    r"handed (?:\w+ )?over to (?:the )?(?:Taliban|militants|insurgents)|surrendered to (?:the )?(?:Taliban|militants)|"
    r"(?:government|forces|troops|army|police|Kabul)\s+(?:\w+\s+){0,2}?(?:lost|losing|lose) (?:the )?control (?:of|over)|(?:came|come|comes|fallen) under (?:the )?(?:full )?(?:Taliban|militant|insurgent)s?[’']? control|"
    # "the insurgents have now the whole district"
    r"(?:Taliban|insurgents|militants)\s+(?:now\s+)?(?:have|hold|control|controls|holds)\s+(?:now\s+)?(?:the\s+)?(?:whole|entire|full)\s+district|(?:is|are|was|were|remains?|has been|have been) (?:\w+ )?controlled by (?:the )?Taliban|under Taliban control|in Taliban hands|"
    r"in (?:the )?hands of (?:the )?(?:Taliban|militants|insurgents)|"
    # "the Taliban flag was raised over the district", "one of the districts controlled by the Taliban"
    r"Taliban(?:[’']s)? (?:white )?flags? (?:\w+ ){0,2}?(?:raised|hoisted|flying|flies|fly)|controlled by (?:the )?Taliban|"
    # "The Taliban has been in control of the Yamgan and Warduj districts for years"
    r"Taliban (?:\w+ ){0,3}?(?:in control of|in full control of|controls?|holds?|runs?|governs?)|"
    # "insisting the militants are in the control of the district"
    r"(?:militants|insurgents|rebels)\s+(?:are|is|remain)\s+(?:still\s+)?in\s+(?:the\s+)?(?:full\s+)?control\s+of|"
    # "the Taliban has consolidated its control over the district"
    r"(?:Taliban|group|insurgents|militants) (?:\w+ ){0,4}?(?:its |their )(?:full )?control (?:over|of)|"
    # "Afghan security forces retreated overnight from the district center": the defenders left it.
    r"(?:forces|troops|soldiers|police(?:men)?|army|officials)\s+(?:\w+\s+){0,2}?"
    r"(?:retreated|withdrew|pulled out|abandoned|evacuated|fled)(?=\s+(?:\w+\s+){0,2}?(?:from|the)\b)|"
    # "the security forces left the district as the attack was so intensive"
    r"(?:forces|troops|soldiers|police(?:men)?|army)\s+(?:\w+\s+){0,2}?left\s+the\s+(?:district|city|town))\b",
    re.IGNORECASE,
)
GOVERNMENT_WORDS = re.compile(
    r"\b(?:retook|retaken|recaptured|regained|reclaimed|cleared of|evicted|expelled|flushed out|"
    r"cleared (?:the )?(?:\w+ ){0,2}(?:district|town|city|centre|center|headquarters)|liberated|repelled|repulsed|pushed back|"
    r"beaten back|defeated|driven (?:out|off|back)|forced (?:them|the Taliban|the attackers) to (?:flee|escape|retreat)|"
    r"contain(?:ed)? the Taliban|under (?:the )?(?:full )?[“\"]?control[”\"]? of (?:the )?(?:Afghan |security |government )*(?:forces|government)|"
    # "Joint Afghan security forces ... today captured Yamgan district": the forces took it back
    r"(?:Afghan|security|government|national|special|commando)\s+(?:forces|troops|army|commandos)\s+"
    r"(?:(?!(?:Taliban|militants|insurgents|who|which|that|after|before|when|while|as)\b)[\w’'-]+\s+){0,12}?"
    r"(?:captured|seized|took (?:full )?control of|overran)(?=\s+(?:the\s+)?(?-i:[A-Z])[\w’'-]*(?:\s+[\w’'-]+)?\s+district)|"
    r"under government control|back under|"
    # "government forces are in full control of the district", "remains in government hands"
    r"(?:forces|government|troops|army|police)\s+(?:are|is|were|was|remain|remains|remained)\s+(?:still\s+|now\s+|firmly\s+)?"
    r"in\s+(?:full\s+)?control of|"
    r"in government hands|in the hands of (?:the )?(?:government|Afghan forces|security forces)|"
    # "security forces have full control over the district"
    r"(?:forces|government|troops|army|police)\s+(?:\w+\s+){0,2}?(?:have|has|had|retain\w*|maintain\w*)\s+"
    r"(?:full\s+|complete\s+)?control\s+(?:of|over)|"
    # "pushed the Taliban out of the district", "drove the militants out"
    r"(?:pushed|drove|driven|forced|kicked|flushed)\s+(?:the\s+)?(?:Taliban|militants|insurgents|attackers|rebels)(?:\s+\w+)?\s+(?:out|back|away)|"
    r"foiled|thwarted|fended off|beat back|beaten off|(?:recapture|retaking|liberation) of|"
    # "took back the district", "wrested control of", "freed from the Taliban"
    r"(?:took|taken|won|win|get|got|gotten)\s+back|wrested\s+(?:back\s+)?(?:full\s+)?control|"
    r"(?:freed|liberated|cleared|recaptured|retaken)\s+from\s+(?:the\s+)?(?:Taliban|militants|insurgents)|"
    # "the Taliban were pushed out of", "the militants were forced to retreat", "the Taliban withdrew from"
    # ("the Taliban lost control of the district")
    r"(?:Taliban|militants|insurgents|attackers|rebels)\s+(?:(?:\w+\s+)?(?:were|have been|had been|was)\s+"
    r"(?:(?:pushed|driven|forced|kicked|flushed|chased|thrown)\s+(?:out|back|away)|forced to (?:retreat|flee|withdraw|leave|escape))|"
    r"(?:\w+\s+){0,2}?(?:retreated|withdrew|fled|pulled out)\s+from|(?:\w+\s+){0,2}?(?:lost|losing|lose) (?:the )?control (?:of|over))|"
    # "the national flag was raised over the district headquarters"
    r"(?:Afghan|national|tricolou?r|government)(?:[’']s)? flags? (?:\w+ ){0,2}?(?:raised|hoisted|flying|flies|fly)|"
    r"(?:captured|seized|taken|cleared|freed) by (?:the )?(?:Afghan |security |government |national |special )*(?:forces|army|troops|commandos))\b",
    re.IGNORECASE,
)
CONTESTED_WORDS = re.compile(
    r"\b(?:under siege|under (?:a |the )?(?:\w+ )?siege|besieged|encircled|surrounded|"
    r"fighting (?:is |was )?(?:still )?(?:ongoing|continu\w*|raging)|"
    r"clashes (?:are |were )?(?:still )?(?:ongoing|continu\w*)|(?:still|continue to) fight|"
    # "the clashes were going on", "heavy fighting is under way", "fire exchange was continuing"
    r"(?:fighting|clashes|battles?|gunfights?|fire exchanges?|exchange of fire)\s+(?:is\s+|are\s+|was\s+|were\s+|has been\s+|have been\s+)?(?:still\s+)?(?:going on|under ?way|ongoing|continu\w*|raging)|"
    # "clashes between the Taliban and security forces are continuing in the district"
    r"(?:fighting|clashes|battles?)\s+(?:\w+\s+){1,6}?(?:is|are|was|were|has been|have been)\s+(?:still\s+)?"
    r"(?:going on|under ?way|ongoing|continu\w*|raging)|stormed into|"
    # "fighting still rages in the district", "the Taliban have been besieging it", "entered the city"
    r"(?:fighting|clashes|battles?)\s+(?:still\s+)?(?:rages?|raging|continues?|goes on|persists?)|"
    # "clashes between security forces and the Taliban continue in the district"
    r"(?:fighting|clashes|battles?)\s+between\s+(?:[\w’'-]+\s+){1,6}?(?:still\s+)?(?:continue|continues|rage|rages|persist|persists|go on|goes on)\b|"
    r"besieging|besieges?|laid siege|laying siege|"
    # "blocked all the roads to the Azra district", "the roads to Bala Murghab have been blocked"
    r"(?:blocked|cut|closed|sealed)\s+(?:off\s+)?(?:all|every)\s+(?:the\s+|of\s+the\s+)?(?:roads?|routes?|highways?)\s+(?:to|into|leading to)|"
    r"(?:roads?|routes?|highways?)\s+(?:to|into|leading to)\s+(?:the\s+)?(?:[\w’'-]+\s+){1,6}?(?:have|has|had)\s+been\s+(?:blocked|cut|closed|sealed)|"
    # "heavy fighting has been reported there", "engagements are still continuing"
    r"(?:fighting|clashes|battles?)\s+(?:has|have)\s+been\s+reported|engagements?\s+(?:are\s+|is\s+)?(?:still\s+)?(?:ongoing|continu\w*|going on)|(?:Taliban|militants|insurgents|fighters)\s+(?:\w+\s+){0,2}?(?:entered|broke into|pushed into)|"
    r"contested|battling|fighting in|clashes in|advancing (?:on|towards?)|clearing operations? (?:is|are|was|were)? ?(?:under ?way|ongoing|continu\w*)|"
    r"operations (?:against the Taliban )?(?:are|were) under ?way)\b",
    re.IGNORECASE,
)
PARTLY_WORDS = re.compile(
    r"\b(?:under siege|besieged|encircled|surrounded|partly\s+(?:controlled|held|under|in)|contested|"
    # ("in a Taliban-controlled part of the district" only says where something happened)
    r"(?<![-‐])(?:captured|seized|controls?|controlled|holds?|held|overran|entered)\s+(?:\w+\s+){0,3}?parts? of|"
    # "it had mostly fallen into Taliban control", "the district has almost collapsed": not wholly
    r"(?:mostly|largely|partly|partially|almost|nearly)\s+(?:fallen|fell|collapsed|overrun|captured|seized)|"
    # "the Taliban now control 80 percent of the district"
    r"(?:percent|per cent)\s+of|(?<=\d)%\s+of|"
    # "Taliban fighters seized most of the district"
    r"(?:captured|seized|controls?|controlled|holds?|held|overran|taken|took)\s+(?:\w+\s+)?(?:most|much|the bulk|the majority) of|"
    r"parts? of (?:the )?(?:district|city|town|centre|center)|parts of\s+(?-i:[A-Z][\w’'-]*\s+){1,3}(?:district|city)|"
    # "security forces still controlled the district center but were under attack": only the centre
    r"(?:forces|troops|police|army|government)\s+(?:\w+\s+){0,2}?(?:control|controls|controlled|hold|holds|held)\s+"
    r"(?:only\s+)?the\s+(?:district\s+)?(?:center|centre|headquarters)\b(?!\s+of\s+the\s+province)|"
    # "only the district police headquarters and an army base remained in the control of the government"
    r"only\s+(?:the\s+)?(?:\w+\s+){0,4}?(?:headquarters|centre|center|compound|bases?|buildings?)\b[^.;]{0,80}?"
    r"\b(?:remain\w*|still|left))\b",
    re.IGNORECASE,
)
DENIAL = re.compile(
    r"\b(?:denied|deny|denies|rejected|dismissed|turned down|refuted|false|not true|untrue|baseless|propaganda|rumou?rs?|"
    # "the district has not fallen", "was not captured"
    r"(?:has|have|had|did|was|were|is)\s*(?:not|n[’']t)\s+(?:yet\s+)?(?:been\s+)?(?:fall|fallen|captured|overrun|seized|collapsed))\b",
    re.IGNORECASE,
)
FAILED = re.compile(
    r"\b(?:tried|attempted|attempt|sought|failed|trying|intended) to (?:capture|seize|take|overrun)\b", re.IGNORECASE
)
_CLAIMANTS = [
    (
        re.compile(
            r"Taliban (?:(?:also|has|have|had|later)\s+){0,2}(?:spokesman|spokesperson|said|claimed|claims?(?=\s+(?:to|that|it|they|its)\b)|say|says|statement)|according to (?:the )?Taliban|Zabihullah|Mujahid|Qari Yousuf|Ahmadi said|the group (?:said|claimed)|insurgents (?:said|claimed)|"
            # "the Taliban group told reporters in a message", "an insurgent spokesman said"
            r"(?:Taliban|insurgents?|militants?)(?: group)? (?:spokesman|spokesperson|says|told|tweeted|in a (?:message|statement))|"
            r"Taliban claimed (?:\w+ ){0,6}?(?:spokesman|tweet)|"
            # "the Taliban dismissed reports that forces recaptured the district"
            r"(?:Taliban|the group|insurgents)\s+(?:\w+\s+)?(?:dismissed|denied|rejected|refuted)",
            re.IGNORECASE,
        ),
        "Taliban",
    ),
    (
        re.compile(r"provincial council|council (?:member|chief|head|chairman|secretary)|council's", re.IGNORECASE),
        "provincial council member",
    ),
    (
        re.compile(r"ministry|MoD\b|MoI\b|National Security Council|NSC\b|Kabul government", re.IGNORECASE),
        "Afghan government",
    ),
    (
        re.compile(
            r"governor|police chief|official|spokesman|spokesperson|authorities|commander|district chief|police said|"
            r"security sources?|corps|NDS\b",
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
        # "officials denied the district fell, saying clashes were going on": it is fought over
        fought = any(not _takes_small_object(text, match) for match in CONTESTED_WORDS.finditer(text))
        return ("contested" if fought and not failed else "government"), True
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


def tells_control(text):
    """Whether a sentence says anything about who holds a place (a cheap test before reading it)."""
    return control_status(text) is not None or bool(RETAKE_FIGHT.search(text))


def _takes_small_object(text, match):
    """ "overran an army checkpoint", "captured six soldiers", "took control of a village": no
    district changed hands; nor in "threatened to overrun", "could fall", "plan to retake"."""
    after, before = text[match.end() : match.end() + 60], text[max(0, match.start() - 40) : match.start()]
    if _NOT_YET.search(before):
        return True
    taking = _TAKING.match(match.group())
    if (taking or _ENCIRCLING.match(match.group())) and _THING_SUBJECT.search(before):
        return True  # "two suspects were captured", "twenty soldiers were surrounded" ("militants were evicted" is a retaking)
    if match.group().lower() == "contested" and (_ELECTION.search(text) or _DESCRIBED.search(before)):
        return True  # "the election was contested", "airstrikes in the contested Sangin District"
    if _PRESENCE.search(before) and "part" in match.group().lower():
        return True  # "the Taliban have increased their presence in some parts of the district"
    if _SIEGE.match(match.group()) and _POST_SUBJECT.search(text[max(0, match.start() - 90) : match.start()]):
        return True  # "an Afghan security base in the district is under their siege": the base
    if _BARE_FALL.fullmatch(match.group()) and _UNIT_SUBJECT.search(text[max(0, match.start() - 90) : match.start()]):
        return True  # "11 security outposts and a unit of Afghan Army have fallen to the militants"
    if _AREAS_BEFORE.search(before):
        return True  # "areas controlled by the Taliban in the district"
    if _ATTACK_ON_POST.match(after):
        return True  # "repelled a Taliban attack on a checkpoint": a post, not the district
    if _BARE_FALL.fullmatch(match.group()) and not _PLACE_SUBJECT.search(before):
        return True  # "fell"/"collapsed" alone: only a place's fall ("the district fell", "Darqad has collapsed")
    if _AGENT.match(after):
        return bool(_SMALL_SUBJECT.search(before))  # "retaken by army and police forces": who took it
    owning = taking or _RETAKING.match(match.group()) or _HOLDING.search(match.group())
    if owning and not _TO_WHOM.search(match.group()) and _THING_OBJECT.search(_object(after)):
        return True  # "captured three militants", "seized 100 kg of opium", "took over a school building"
    return bool(SMALL_OBJECT.match(after) or _PART.match(after) or _SMALL_SUBJECT.search(before))


def _object(after):
    """The words right after a verb, up to the first preposition or punctuation: its object."""
    return _OBJECT_END.split(after, maxsplit=1)[0]


_OBJECT_END = re.compile(
    r"[,.;:“”\"()]|\s(?:in|at|from|on|near|after|during|following|with|to|for|and|as|when|while|by|of\s+(?:the\s+)?\w+\s+province)\b",
    re.IGNORECASE,
)
# People and things taken, not places.
_THINGS = (
    r"militants?|insurgents?|fighters?|commanders?|governor|leaders?|members?|suspects?|officers?|officials?|men|women|"
    r"children|civilians?|people|hostages?|alive|cache|caches|explosives?|drugs?|opium|heroin|hashish|narcotics|kg|"
    r"kilograms?|tons?|arms|ammunition|mines?|motorcycles?|rockets?|trucks?|cars?|school|schools|buildings?|bridge|"
    r"rounds|shells|mortars?|bullets|victims?|prisoners?|soldiers|policemen|police\s+officers?|situation|highways?|roads?|"
    r"hills?|hilltops?|airport|dam|bodies|body|"
    # "captured the recruitment centre of National Army": a building, not the district centre
    r"(?:recruitment|training|health|medical|detention|rehabilitation|registration|polling|voter|trade|business)\s+cent(?:re|er)s?"
)
_THING_OBJECT = re.compile(rf"\b(?:{_THINGS})\b", re.IGNORECASE)
# The subject of a passive ("two suspects were captured"): what was taken.
_THING_SUBJECT = re.compile(
    rf"\b(?:{_THINGS}|bombs?|roofs?|walls?|houses?|compan(?:y|ies)|units?|battalions?|platoons?)\s+(?:\w+\s+){{0,2}}?"
    r"(?:were|was|been|being|are|is)\s+(?:\w+\s+(?:or\s+|and\s+)?)?$",
    re.IGNORECASE,
)
_BARE_FALL = re.compile(r"fell|collapsed|fallen", re.IGNORECASE)
# "the contested Sangin District", "has long been contested": a description given as background.
_DESCRIBED = re.compile(r"(?:\b(?:the|a|an)\s+|\blong\s+been\s+)$", re.IGNORECASE)
_PRESENCE = re.compile(r"\b(?:presence|present|active|activit(?:y|ies)|operating|movements?)\s+(?:\w+\s+){0,3}$", re.I)
_SIEGE = re.compile(r"under\b|besieg|encircl|surround", re.IGNORECASE)
# The subject of a siege or a fall is a post or a unit, not the district.
_POST_SUBJECT = re.compile(
    r"\b(?:bases?|posts?|outposts?|checkpoints?|check[- ]?posts?|compounds?|garrisons?)\b(?:\s+(?:in|of|at)\s+[^,;.]{1,60}?)?"
    r"\s+(?:is|are|was|were|has been|have been|remains?|remained)\s+(?:still\s+|now\s+)?$",
    re.IGNORECASE,
)
_UNIT_SUBJECT = re.compile(
    r"\b(?:checkpoints?|posts?|outposts?|bases?|units?|compan(?:y|ies)|battalions?|platoons?|positions?)\b"
    r"[^,;.]{0,60}?\s(?:has|have|had)\s+(?:also\s+)?$",
    re.IGNORECASE,
)
_TAKING = re.compile(r"(?:captured|seized|taken|took|overr[au]n|had taken|have taken|has taken)\b", re.IGNORECASE)
_RETAKING = re.compile(r"(?:retook|retaken|recaptured|regained|reclaimed|liberated|freed)\b", re.IGNORECASE)
_AREAS_BEFORE = re.compile(
    r"\b(?:areas?|villages?|parts?|regions?|territor(?:y|ies)|localit(?:y|ies))\s+$", re.IGNORECASE
)
_ENCIRCLING = re.compile(r"(?:surrounded|besieged|encircled|trapped)\b", re.IGNORECASE)
_ELECTION = re.compile(r"\b(?:elections?|vote|votes|ballots?|polls?|candidates?|seats?)\b", re.IGNORECASE)
_ATTACK_ON_POST = re.compile(
    r"^\s+(?:an?\s+|the\s+|their\s+)?(?:\w+\s+){0,2}?(?:attacks?|assaults?|raids?|offensive)\s+on\s+(?:\w+\s+){0,3}?"
    r"(?:checkpoints?|check[- ]?posts?|posts?|outposts?|bases?|convoys?|positions?|compounds?)\b",
    re.IGNORECASE,
)
# "the Taliban took control of a school building": what they hold is its object too.
_HOLDING = re.compile(r"\b(?:control|controls|hold|holds|runs?|governs?)$", re.IGNORECASE)
_TO_WHOM = re.compile(r"\b(?:to|into|under|by)$", re.IGNORECASE)
_PLACE_SUBJECT = re.compile(
    r"(?:\b(?:district|city|town|centre|center|headquarters|capital|province|it)|(?-i:\b[A-Z][\w’'-]+))\s+"
    r"(?:(?:has|have|had|also|finally|reportedly|already|now|then|later|eventually|been|was|were|almost|nearly)\s+){0,3}$",
    re.IGNORECASE,
)


_AGENT = re.compile(r"^\s+by\b", re.IGNORECASE)
# A threat, a plan or a fear: nothing changed hands yet.
_NOT_YET = re.compile(
    r"\b(?:threaten\w*|vow\w*|plan\w*|aim\w*|warn\w*|fear\w*|could|may|might|will|would|going|about|set|poised|"
    r"likely|wants?|wanted|hoping|hope|ready|prepar\w+|seeking|bid|risk|danger|verge|brink)\s+(?:not\s+)?(?:to\s+)?(?:be\s+)?"
    r"(?:of\s+)?(?:the\s+|a\s+)?(?:\w+\s+)?$",
    re.IGNORECASE,
)


# "The checkpoints were later retaken": the subject of a passive is what was taken.
_SMALL_SUBJECT = re.compile(
    r"\b(?:checkpoints?|check[- ]?posts?|posts?|outposts?|bases?|positions?|villages?|areas?)\s+"
    r"(?:(?!and\b|or\b|but\b)\w+\s+)?(?:were|was|been|being|are|is|have|has|had)\s+(?:\w+\s+)?$",
    re.IGNORECASE,
)
# ("clashes were continuing on the outskirts of Farah city": near the city, not in it)
_PART = re.compile(
    r"^\s+(?:\w+\s+){0,5}?(?:villages?|areas?|localit(?:y|ies)|houses?|parts?|outskirts|suburbs?|swath(?:e)?s?|countryside|territor(?:y|ies))\b",
    re.IGNORECASE,
)


# Forces fighting to win back a district that fell: it fell, and it is contested now.
RETAKE_EFFORT = re.compile(
    r"\b(?:fighting|trying|efforts?|operations?|battling|attempting|struggling|push(?:ing)?)\s+(?:\w+\s+){0,4}?to\s+"
    r"(?:retake|recapture|reclaim|regain|win back)\b",
    re.IGNORECASE,
)


# "security forces are fighting the Taliban to retake Kohistan": the district is fought over now
# (not "will launch an operation to retake it").
RETAKE_FIGHT = re.compile(
    r"\b(?:(?:are|is|were|was)\s+(?:still\s+|now\s+)?(?:fighting|trying|battling|attempting|struggling|pushing)|"
    r"(?:efforts?|operations?|offensive)\s+(?:is\s+|are\s+|was\s+|were\s+)?(?:under ?way|ongoing|launched))\s+"
    r"(?:\w+\s+){0,4}?to\s+(?:retake|recapture|reclaim|regain|win back)\b",
    re.IGNORECASE,
)


def claimant(text, outlet, before=""):
    """Return who the sentence credits with the claim (the outlet when no one).

    The speaker of "X said" / "according to X" counts first, so an agent the sentence only names
    ("with support from the Resolute Support Mission air forces", he added) is not the claimant.
    A speaker told by pronoun or surname ("he added", "Baig said") is the one `before` (the
    article's text up to the sentence) introduced."""
    who = _speaker(text)
    if who is not None:
        found = _credited(who) or _introduced(who, before)
        if found:
            return found
    denier = _DENIER.search(text)  # "Officials rejected Taliban claims that ...": the officials
    return (denier and _credited(denier.group("who"))) or _credited(text) or outlet or "the outlet"


_DENIER = re.compile(
    r"(?P<who>[^,.;:“”\"]{1,60}?)\s+(?:\w+\s+)?(?:rejected|denied|dismissed|refuted|turned down)\b", re.IGNORECASE
)


def _credited(text):
    for pattern, name in _CLAIMANTS:
        if pattern.search(text):
            return name
    return None


_SPEECH = r"(?:said|says|added|told|stated|confirmed|claimed|announced|tweeted|noted|insisted)"
_SPEAKER = [
    re.compile(rf"(?:^|[,.;:“”\"]\s*|\bthat\s+|\bbut\s+)(?P<who>[^,.;:“”\"]{{1,90}}?)\s+{_SPEECH}\b"),
    re.compile(rf"\b{_SPEECH},?\s+(?P<who>[^,.;:“”\"]{{1,90}})[,.;]?\s*$"),
    re.compile(r"\baccording to\s+(?P<who>[^,.;:“”\"]{1,90})"),
]
_PRONOUN = re.compile(
    r"^(?:he|she|they|the (?:official|officer|spokesman|spokesperson|source|commander))$", re.IGNORECASE
)
_SURNAME = re.compile(r"^(?:Mr\.?\s+|Gen\.?\s+|General\s+)?(?P<name>[A-Z][\w-]+)$")


def _speaker(text):
    """The words naming who speaks in a sentence, or None."""
    for pattern in _SPEAKER:
        match = pattern.search(text)
        if match:
            return match.group("who").strip()
    return None


def _introduced(who, before):
    """The claimant a pronoun or a surname stands for: the last speaker `before` credits, or the
    post given with that name ("Abdul Aziz Baig, head of the Badghis Provincial Council")."""
    if not before:
        return None
    surname = _SURNAME.match(who)
    if surname:
        post = re.search(rf"\b{re.escape(surname.group('name'))}\b,?\s+(?P<post>[^.;]{{3,90}})", before)
        return _credited(post.group("post")) if post else None
    if _PRONOUN.match(who):
        for sentence in reversed(re.split(r"(?<=[.!?])\s+", before[-600:])):
            speaker = _speaker(sentence)
            found = _credited(speaker) if speaker else None
            if found:
                return found
    return None


# "The district fell to Taliban a few years ago", "captured Kunduz city for a few days in 2015",
# "Warjod had been in Taliban control for five years": history, not who holds the district now.
HISTORY = re.compile(
    r"\b(?:(?:\w+\s+)?years?\s+ago|(?<!since )last year|previously|formerly|had been\s+(?:\w+\s+){0,3}?(?:in|under)\s+"
    r"(?:the\s+)?(?:\w+[’']?\s+)?(?:control|hands))\b",
    re.IGNORECASE,
)
# The outlet's own assessment ("have previously been assessed by FDD's Long War Journal as contested").
ASSESSED = re.compile(r"\bassess(?:ed|es|ment|ments)\b", re.IGNORECASE)
# "Wardooj has been under Taliban control for past five years": a status told by the years it lasted.
YEARS_LONG = re.compile(r"\bfor\s+(?:the\s+)?(?:past\s+|last\s+)?(?:\w+\s+)?years\b", re.IGNORECASE)
# Any other year than the report's, but "since 2017" (still so): "in 2015", "the 2015 fall of Kunduz".
_PAST_YEAR = re.compile(
    r"(?<!since )(?<!since early )(?<!since late )\b((?:19|20)\d\d)\b(?!\s*[-–]\s*(?:19|20)\d\d)", re.IGNORECASE
)


def is_history(text, published):
    """Whether a sentence tells a district's past ("a few years ago", "in 2015"), not its status."""
    if HISTORY.search(text):
        return True
    return any(int(year) != published.year for year in _PAST_YEAR.findall(text))


# "Kohistan district, which fell to the militants on Thursday, was retaken on Saturday",
# "Khwaja Ghar district, which borders the volatile Chah-e-Aab district that fell to the Taliban":
# a relative clause tells about the district named just before it.
_RELATIVE = re.compile(
    r"(?:\s+districts?\b)?(?:\s+(?:of|in)\s+(?:the\s+)?(?-i:[A-Z][\w’'-]*)(?:\s+province)?)?\s*(?:\([^)]*\))?\s*,?\s*"
    r"(?:which|that|where)\b",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r",\s|;|\s[–—-]\s")


def relative_clauses(text, ends):
    """The relative clause after each mention (``ends``: offsets in `text`) as ``(start, end)``, or
    None. A clause runs to the next comma, or to the next mention's own clause."""
    starts = []
    for end in ends:
        match = _RELATIVE.match(text, end) if 0 <= end <= len(text) else None
        starts.append(match.end() - len(match.group().split()[-1]) if match else None)
    found = []
    for start in starts:
        if start is None:
            found.append(None)
            continue
        later = [other for other in starts if other is not None and other > start]
        stop = _CLAUSE_END.search(text, start)
        found.append((start, min([*later, stop.start() if stop else len(text)])))
    return found


# "His claim was also confirmed by local authorities", "Council member X confirmed the move".
CONFIRMS = re.compile(
    r"\b(?:claims?|reports?|fall|capture|seizure|news)\b[^.;]{0,40}?\b(?:was|were|has been|have been|had been)\s+"
    r"(?:also\s+)?confirmed\s+by\b|\bconfirmed\s+(?:the|this|that|his|their|the group's)\s+(?:\w+\s+)?"
    r"(?:claims?|reports?|fall|capture|seizure|move|news)\b",
    re.IGNORECASE,
)


_BUT = re.compile(r"(?:[,;]\s*|\s+)(?:but|while|however|whereas|although)\b", re.IGNORECASE)


def denial_split(text):
    """Where the officials' denial begins in a sentence that also tells the Taliban's claim ("The
    Taliban claimed to have captured the district, but officials denied it"), or None."""
    denial = DENIAL.search(text)
    if denial is not None:
        breaks = [match.start() for match in _BUT.finditer(text, 0, denial.start())]
    else:
        # "The Taliban claimed they had captured the district, but the governor's spokesman said the
        # attack was repelled": the other side's answer is its own claim too.
        breaks = [match.start() for match in _BUT.finditer(text)]
        breaks = [at for at in breaks if (control_status(text[at:]) or ("",))[0] in ("government", "contested")]
    if not breaks:
        return None
    claim, answer = text[: breaks[-1]], text[breaks[-1] :]
    if _credited(claim) != "Taliban" or control_status(claim) != ("taliban", False) or _credited(answer) == "Taliban":
        return None
    return breaks[-1]


# "the attack was repelled", "their assault was pushed back": the attack just told.
THE_ATTACK = re.compile(r"\b(?:the|their|this|that)\s+(?:\w+\s+)?(?:attacks?|assaults?|offensive)\b", re.IGNORECASE)
_ATTACK = re.compile(r"\b(?:attack(?:ed|s|ing)?|assault(?:ed|s)?|stormed|storming)\b(?:\s+on\b)?", re.IGNORECASE)


def attacks_a_place(passage):
    """Whether a passage tells an attack on a district or a city ("attacked Pul-e-Khumri", "an
    attack on Kunduz city"), not on a post, a convoy or people ("attacked a checkpoint")."""
    for match in _ATTACK.finditer(passage):
        after = passage[match.end() : match.end() + 60]
        if not (SMALL_OBJECT.match(after) or _PART.match(after) or _NOT_A_PLACE.match(after)):
            return True
    return False


_NOT_A_PLACE = re.compile(
    r"^\s+(?:\w+\s+){0,3}?(?:convoy|vehicles?|car|bus|house|home|mosque|school|office|guards?|forces|army|police|"
    r"officials?|governor|chief|commander|tribal|elders?|wedding|gathering|rally|market|airfield|airport|air base|base|"
    r"camp|facility|hospital|clinic|embassy|university|hotel|prison|jail)\b|^\s+(?:was|were|is|are|had|has|in|that|which)\b",
    re.IGNORECASE,
)


def status_spans(text):
    """Where a sentence's words of control are (those not about a post or a threat), as
    ``(start, end)`` offsets."""
    spans = [
        match.span()
        for pattern in (PARTLY_WORDS, GOVERNMENT_WORDS, TALIBAN_WORDS, CONTESTED_WORDS, FAILED)
        for match in pattern.finditer(text)
        if not _takes_small_object(text, match)
    ]
    return spans + [match.span() for match in (*DENIAL.finditer(text), *RETAKE_FIGHT.finditer(text))]


# Names of one list: "Yamgan and Wardoj districts", "Qala-i-Yangi, Darqad, and Chah Ab".
_LISTED = re.compile(
    r"^\s*(?:districts?\b)?(?:\s+(?:in|of)\s+(?-i:[A-Z][\w’'-]*)(?:\s+province)?)?\s*(?:,\s*and|,|and|&|as well as|or)?\s*"
    r"(?:the\s+)?$",
    re.IGNORECASE,
)


def near_status(text, spans_of_names, reach):
    """Which names a sentence's claim is about when it names several lists of districts: those
    within `reach` characters of a word of control, else the nearest list ("The fall of Darqad
    comes a week after the Taliban attacked Kunduz city": Darqad only)."""
    groups, current = [], []
    for number, (start, end) in sorted(enumerate(spans_of_names), key=lambda item: item[1]):
        if current and not _LISTED.match(text[current[-1][2] : start]):
            groups.append(current)
            current = []
        current.append((number, start, end))
    groups.append(current)
    if len(groups) < 2:
        return [True] * len(spans_of_names)
    words = status_spans(text)
    if not words:
        return [True] * len(spans_of_names)
    gaps = [
        min(max(first[1] - end, start - last[2], 0) for start, end in words)
        for first, last in ((group[0], group[-1]) for group in groups)
    ]
    nearest = min(gaps)
    keep = [False] * len(spans_of_names)
    for group, gap in zip(groups, gaps):
        for number, _, _ in group:
            keep[number] = gap <= reach or gap == nearest
    return keep


# A status told in the present ("is now under Taliban control", "remains in government hands").
PRESENT = re.compile(
    r"\b(?:is|are|remains?|now)\s+(?:\w+\s+){0,2}?(?:under|in|controlled|held|besieged|surrounded|contested)\b|"
    r"\bstill\s+(?:under|in|controls?|holds?|held)\b",
    re.IGNORECASE,
)


# "since April 2019", "since last year": when a long state began, not the day it is told.
SINCE = re.compile(
    r"\bsince\s+(?:early\s+|late\s+|mid-?)?(?:(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?(?:\s+\d{1,2}\b)?(?:,?\s+(?:19|20)\d\d)?|"
    r"(?:last|this)\s+(?:month|year)|(?:19|20)\d\d)",
    re.IGNORECASE,
)


def without_since(text):
    """The sentence with its "since ..." phrases blanked (offsets kept): a status told as holding
    since a day ("have increased their presence in the district since April") is the report's."""
    return SINCE.sub(lambda match: " " * len(match.group()), text)


def told_of_each(text, mentions, dated, published):
    """Each district mention's ``[(status, day)]`` in a sentence.

    Parameters
    ----------
    text : str
        The sentence.
    mentions : list of (int, int, bool)
        Each district's name as offsets into `text` (negative when the name is in an earlier
        sentence the text refers back to), and whether it is a landmark only its own relative
        clause can claim.
    dated : tuple
        The sentence's ``(day, precision)`` when none of its clauses has its own.
    published : datetime.date

    A relative clause right after a district's name ("Kohistan district, which fell on Thursday,
    was retaken on Saturday") tells about that district alone; the rest of the sentence about
    the districts it names outside such clauses, near its words of control and not only in a
    clause telling the past.
    """
    text = without_since(text)
    clauses = relative_clauses(text, [end for _, end, _ in mentions])
    main = _blank(text, filter(None, clauses))
    own_days = [resolve_date(text[first:last], published) for first, last in filter(None, clauses)]
    main_day = (resolve_date(main, published) or (published, 1)) if any(own_days) else dated
    main_told = statuses(main, main_day, published) if main != text or not all(m[2] for m in mentions) else []
    apart = _apart(main, mentions, clauses, published)
    return [
        ([] if away else main_told)
        + (
            statuses(
                text[clause[0] : clause[1]], resolve_date(text[clause[0] : clause[1]], published) or dated, published
            )
            if clause
            else []
        )
        for away, clause in zip(apart, clauses)
    ]


def _apart(main, mentions, clauses, published):
    """Which mentions the sentence's main claim is not about: a landmark; a name inside another's
    relative clause; one far from every word of control, in another list; one named only in a
    clause telling the past ("..., as Ghazni city was in 2018") when another is named in the
    news (not "it fell three years ago, and forces retook it on Monday")."""
    starts = [start for start, _, _ in mentions]
    apart = [only or any(first <= start < last for first, last in filter(None, clauses)) for start, _, only in mentions]
    outside = [number for number, away in enumerate(apart) if not away and starts[number] >= 0]
    near = near_status(main, [mentions[number][:2] for number in outside], settings.extract_claim_reach_chars)
    for number, close in zip(outside, near):
        apart[number] = not close
    present = _present(main, published)
    past = [0 <= start < len(main) and present[start] == " " != main[start] for start in starts]
    if not all(old or away for old, away in zip(past, apart)):
        apart = [away or old for away, old in zip(apart, past)]
    return apart


def _blank(text, spans):
    """The text with these spans blanked (offsets kept)."""
    for first, last in spans:
        text = text[:first] + " " * (last - first) + text[last:]
    return text


def statuses(text, dated, published):
    """The sentence's claim as ``[(status, day)]``.

    A sentence telling two changes of hands on two days ("the Taliban took it two months ago, but
    it was retaken a month ago") gives one per clause; one that turns within the day ("overran
    parts of the city, but were evicted overnight") only its outcome. Forces fighting to retake a
    district that fell give both the fall and the fight. A status told in a clause with its own
    day ("..., and fighting continued on Tuesday in Baharak") takes that day. A status told with a
    week but no day ("fell last week", "recaptured this week") is the report's, on the publication
    day; history ("a few years ago", "in 2015") is none."""
    present = _present(text, published)
    if present != text and resolve_date(text, published) is not None:
        # The sentence's day may be its history's ("fell three years ago, and forces retook it on
        # Monday"): the claim takes the day its present part tells, else the report's.
        dated = resolve_date(present, published) or (published, 1)
    text = present
    if not text.strip():
        return []
    parts = [text[start:end] for start, end in events.clauses(text)]
    found = [(control_status(part), resolve_date(part, published)) for part in parts]
    found = [(status[0], day) for status, day in found if status is not None]
    if len({status for status, _ in found}) > 1 and not DENIAL.search(text):
        if all(day is not None for _, day in found) and len({day for _, day in found}) == len(found):
            return [(status, _claim_day(day or dated, published)) for status, day in found]
        return [(found[-1][0], _claim_day(found[-1][1] or dated, published))]
    whole = control_status(text)
    if whole is None and RETAKE_FIGHT.search(text):
        return [("contested", _claim_day(dated, published))]  # "forces are fighting to retake Kohistan"
    if whole is None:
        return []
    own = next((day for status, day in found if status == whole[0] and day is not None), None)
    day = _claim_day(own if own and len(parts) > 1 else dated, published)
    if whole[0] == "taliban" and RETAKE_EFFORT.search(text):
        return [("taliban", day), ("contested", _claim_day(dated, published))]
    return [(whole[0], day)]


def _present(text, published):
    """The sentence without its history: a clause telling the past ("fell to the Taliban a few
    years ago") and those after it with no day of their own ("but later forces retook it") are
    blanked (offsets kept)."""
    if _STILL_SO.search(text):
        return text  # "have previously been assessed as contested, and remain so": so now
    edges = [0, *(match.end() for match in _SEQUEL.finditer(text)), len(text)]
    parts = list(zip(edges, edges[1:]))
    history = [is_history(text[start:end], published) for start, end in parts]
    if not any(history):
        return text
    first = history.index(True)
    if first and _ADJUNCT.match(text[parts[first][0] : parts[first][1]]):
        first -= 1  # "fell to the Taliban twice, in 2015 and 2016": the date of the clause before
    return _blank(
        text,
        [
            (start, end)
            for number, (start, end) in enumerate(parts)
            if number >= first and (history[number] or resolve_date(text[start:end], published) is None)
        ],
    )


_STILL_SO = re.compile(r"\b(?:remains?|remained|still are|still is)\s+so\b", re.IGNORECASE)
_ADJUNCT = re.compile(r"\s*(?:in|during|back in|between|from|on)\b[^,;]*$", re.IGNORECASE)
_SEQUEL = re.compile(r",?\s+(?:and|but|while|before|until|whereas)\s+|;\s+|,\s+", re.IGNORECASE)


def _claim_day(when, published):
    """A claim's day: one told only by its week ("last week", "this week") is the publication day
    (not "two weeks ago")."""
    return published if when[1] == 2 and (published - when[0]).days <= 7 else when[0]
