from .audit import AuditEntry, Generation, RefKey
from .common import Confidentiality
from .derived import CustodySpell, DailyChange
from .events import CUSTODIAL_REGIMES, Event, EventType, Regime, ReleaseKind
from .people import Case, Facility, GrantedPerson, Name, Person, PublicIdCounter, article_label
from .review import DuplicateCandidate, Judgement, Verdict
from .sources import Citation, Organization, Source

__all__ = [
    "CUSTODIAL_REGIMES",
    "AuditEntry",
    "Case",
    "Citation",
    "Confidentiality",
    "CustodySpell",
    "DailyChange",
    "DuplicateCandidate",
    "Event",
    "EventType",
    "Facility",
    "Generation",
    "RefKey",
    "GrantedPerson",
    "Judgement",
    "Name",
    "Organization",
    "Person",
    "PublicIdCounter",
    "Regime",
    "ReleaseKind",
    "Source",
    "Verdict",
    "article_label",
]
