from .audit import AuditEntry
from .common import Confidentiality
from .derived import CustodySpell
from .events import CUSTODIAL_REGIMES, Event, EventType, Regime, ReleaseKind
from .people import Case, Facility, GrantedPerson, Name, Person, PublicIdCounter, article_label
from .sources import Citation, Organization, Source

__all__ = [
    "CUSTODIAL_REGIMES",
    "AuditEntry",
    "Case",
    "Citation",
    "Confidentiality",
    "CustodySpell",
    "Event",
    "EventType",
    "Facility",
    "GrantedPerson",
    "Name",
    "Organization",
    "Person",
    "PublicIdCounter",
    "Regime",
    "ReleaseKind",
    "Source",
    "article_label",
]
